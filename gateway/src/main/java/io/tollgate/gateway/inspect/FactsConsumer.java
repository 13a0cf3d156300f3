package io.tollgate.gateway.inspect;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.tollgate.gateway.decide.ConnectionFacts;

/** Receives a connection once its first bytes have been inspected. */
public interface FactsConsumer {
    /**
     * Called on the client channel's event loop with reading paused.
     *
     * @param firstBytes everything the client sent so far; the consumer owns it and must release or forward it
     */
    void onFacts(Channel client, ConnectionFacts facts, ByteBuf firstBytes);
}
