package io.tollgate.gateway.relay;

import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;

/** Ends a connection with a TCP RST, so a blocked client fails at once instead of waiting for a timeout. */
public final class Reset {
    private Reset() {}

    public static void reset(Channel channel) {
        if (channel.isOpen()) {
            channel.config().setOption(ChannelOption.SO_LINGER, 0);
            channel.close();
        }
    }
}
