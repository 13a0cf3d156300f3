package io.tollgate.gateway.events;

import java.util.Locale;
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
        String verdict = e.verdict().toUpperCase(Locale.ROOT);
        String policy = e.policy() == null ? "none" : e.policy().name();
        if ("dns".equals(e.kind())) {
            LOG.warn("{} dns {} asked {} {} policy={} reason={}: {}", verdict, e.src(), e.qname(), e.qtype(), policy,
                    e.reason(), e.detail());
            return;
        }
        String name = e.sni() != null ? e.sni() : e.host() != null ? e.host() : "-";
        LOG.warn("{} {} {} -> {} name={} policy={} reason={}: {}", verdict, e.kind(), e.src(), e.dst(), name, policy,
                e.reason(), e.detail());
    }
}
