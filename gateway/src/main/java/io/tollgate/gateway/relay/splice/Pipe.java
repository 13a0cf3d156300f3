package io.tollgate.gateway.relay.splice;

import io.tollgate.gateway.sockets.Libc;

/** A kernel pipe that carries one direction's bytes from socket to socket without entering user space. */
record Pipe(int readFd, int writeFd) {
    void close() {
        Libc.close(readFd);
        Libc.close(writeFd);
    }
}
