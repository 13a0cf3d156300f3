package io.tollgate.gateway.accept;

import io.tollgate.gateway.sockets.PolledSocket;

/** Takes each accepted runner connection, on the event loop that accepted it. */
@FunctionalInterface
public interface AcceptedConnections {
    /** @return the stage that receives the socket's readiness from now on */
    PolledSocket.Owner accepted(RunnerConnection connection);
}
