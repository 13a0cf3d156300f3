package io.tollgate.gateway.inspect;

import io.netty.buffer.ByteBuf;
import io.tollgate.gateway.accept.RunnerConnection;
import io.tollgate.gateway.decide.ConnectionFacts;

/** Receives a connection once its first bytes have been inspected. */
public interface FactsConsumer {
    /**
     * Called on the connection's event loop; nothing more is read from the connection until its next stage takes it.
     *
     * @param firstBytes everything the client sent so far (a direct buffer); the consumer owns it and must release or
     *     forward it
     */
    void onFacts(RunnerConnection client, ConnectionFacts facts, ByteBuf firstBytes);
}
