package io.tollgate.sni;

import java.nio.ByteBuffer;

/**
 * The contract both first-bytes parsers share: fed the growing prefix of a connection, answer {@code NeedMore} until
 * the bytes decide, then keep answering that decision without looking at the bytes again.
 */
abstract sealed class IncrementalParser permits ClientHelloParser, HttpRequestHeadParser {
    private Inspection verdict;

    static int positiveCap(String name, int value) {
        if (value <= 0) {
            throw new IllegalArgumentException(name + " must be positive, was " + value);
        }
        return value;
    }

    /**
     * @param bytesSoFar every byte received on the connection so far, between position and limit; each call
     *                   passes the previous bytes plus any new ones. Its position and limit are left untouched.
     */
    public final Inspection offer(ByteBuffer bytesSoFar) {
        if (verdict == null) {
            try {
                Inspection outcome = examine(bytesSoFar);
                if (!(outcome instanceof Inspection.NeedMore)) {
                    verdict = outcome;
                }
                return outcome;
            } catch (InspectionFailure failure) {
                verdict = failure.outcome;
            }
        }
        return verdict;
    }

    /** Looks at the bytes; ends early by throwing an {@link InspectionFailure} carrying the decision. */
    abstract Inspection examine(ByteBuffer buffer);
}
