package io.tollgate.gateway.relay.splice;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;

/** What one event loop's relayed connections share: its pool of empty pipes and its copy buffer for small messages. */
final class RelayLoop {
    /** A read that fills the copy buffer marks its direction as bulk, which is then spliced. */
    static final int COPY_BYTES = 16 * 1024;

    private final PipePool pipes = new PipePool(64);
    private final MemorySegment copy = Arena.ofAuto().allocate(COPY_BYTES, 64);

    PipePool pipes() {
        return pipes;
    }

    long copyAddress() {
        return copy.address();
    }

    /** A view of {@code length} bytes of the copy buffer from {@code offset}. */
    ByteBuffer copyBuffer(long offset, long length) {
        return copy.asSlice(offset, length).asByteBuffer();
    }

    void close() {
        pipes.closeAll();
    }
}
