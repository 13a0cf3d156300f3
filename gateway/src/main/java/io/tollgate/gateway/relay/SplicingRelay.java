package io.tollgate.gateway.relay;

import io.netty.channel.epoll.EpollSocketChannel;
import io.tollgate.gateway.relay.splice.SpliceException;
import io.tollgate.gateway.relay.splice.SpliceRelay;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The {@code splice} relay mode: hands both sockets to the zero-copy {@link SpliceRelay}. */
public final class SplicingRelay implements Relay {
    private static final Logger LOG = LoggerFactory.getLogger(SplicingRelay.class);

    private final SpliceRelay splice;

    public SplicingRelay(SpliceRelay splice) {
        this.splice = splice;
    }

    @Override
    public void join(EpollSocketChannel client, EpollSocketChannel upstream) {
        try {
            splice.adopt(client, upstream);
        } catch (SpliceException e) {
            LOG.warn("allowed connection from runner {} to {} reset: the relay could not take it over: {}",
                    client.remoteAddress(), upstream.remoteAddress(), e.getMessage());
            Reset.reset(client);
            Reset.reset(upstream);
        }
    }
}
