package io.tollgate.gateway.events;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** One readable line per blocked (or would-be-blocked) connection for operators tailing the node log. */
public final class BlockLog implements EventSink {
    private static final Logger LOG = LoggerFactory.getLogger("tollgate.blocks");

    @Override
    public void record(Event e) {
        if ("allow".equals(e.verdict())) {
            return;
        }
        String name = e.sni() != null ? e.sni() : e.host() != null ? e.host() : "-";
        String policy = e.policy() == null ? "none" : e.policy().name();
        LOG.warn("{} {} {} -> {} name={} policy={} reason={}: {}", e.verdict().toUpperCase(java.util.Locale.ROOT),
                e.kind(), e.src(), e.dst(), name, policy, e.reason(), e.detail());
    }
}
