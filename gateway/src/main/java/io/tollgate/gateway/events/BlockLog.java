package io.tollgate.gateway.events;

import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One readable line per blocked (or would-be-blocked) connection for operators tailing the node log; a registered
 * job follows the source as {@code [repo workflow/job run N]}.
 */
public final class BlockLog implements EventSink {
    private static final Logger LOG = LoggerFactory.getLogger("tollgate.blocks");

    @Override
    public void record(Event e) {
        if ("allow".equals(e.verdict())) {
            return;
        }
        String verdict = e.verdict().toUpperCase(Locale.ROOT);
        String policy = e.policy() == null ? "none" : e.policy().name();
        String source = e.job() == null ? e.src() : e.src() + " [" + e.job().repo() + " " + e.job().workflow() + "/"
                + e.job().job() + " run " + e.job().runId() + "]";
        if ("dns".equals(e.kind())) {
            LOG.warn("{} dns {} asked {} {} policy={} reason={}: {}", verdict, source, e.qname(), e.qtype(), policy,
                    e.reason(), e.detail());
            return;
        }
        String name = e.sni() != null ? e.sni() : e.host() != null ? e.host() : "-";
        LOG.warn("{} {} {} -> {} name={} policy={} reason={}: {}", verdict, e.kind(), source, e.dst(), name, policy,
                e.reason(), e.detail());
    }
}
