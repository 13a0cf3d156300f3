package io.tollgate.sni;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.function.Function;

/**
 * Feeds bytes to a parser the way the gateway does: each call sees everything received so far. The buffer
 * starts at a non-zero position behind junk bytes, and every call checks that position and limit are untouched.
 */
final class Feeder {

    private static final int JUNK = 3;

    private Feeder() {}

    static Inspection whole(Function<ByteBuffer, Inspection> parser, byte[] bytes) {
        return chunked(parser, bytes, List.of(Math.max(1, bytes.length)));
    }

    static Inspection bytewise(Function<ByteBuffer, Inspection> parser, byte[] bytes) {
        return chunked(parser, bytes, List.of(1));
    }

    /** Feeds chunks of the given sizes (cycling) until a verdict or the end of the bytes. */
    static Inspection chunked(Function<ByteBuffer, Inspection> parser, byte[] bytes, List<Integer> chunkSizes) {
        byte[] backing = new byte[JUNK + bytes.length];
        System.arraycopy(bytes, 0, backing, JUNK, bytes.length);
        Inspection last = Inspection.NeedMore.INSTANCE;
        int received = 0;
        for (int i = 0; received < bytes.length; i++) {
            received = Math.min(bytes.length, received + Math.max(1, chunkSizes.get(i % chunkSizes.size())));
            ByteBuffer soFar = ByteBuffer.wrap(backing, JUNK, received);
            last = parser.apply(soFar);
            assertThat(soFar.position()).as("position after offer").isEqualTo(JUNK);
            assertThat(soFar.limit()).as("limit after offer").isEqualTo(JUNK + received);
            if (!(last instanceof Inspection.NeedMore)) {
                return last;
            }
        }
        return last;
    }
}
