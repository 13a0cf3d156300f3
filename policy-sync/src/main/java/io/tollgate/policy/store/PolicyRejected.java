package io.tollgate.policy.store;

/** A change the policy store refuses; {@link #kind()} says why, the message says what to do. */
public final class PolicyRejected extends Exception {
    private final Kind kind;

    public PolicyRejected(Kind kind, String message) {
        super(message);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }

    public enum Kind {
        /** The document does not parse or compile. */
        INVALID,
        /** A verification key is configured and the change carries no signature. */
        UNSIGNED,
        /** The signature does not verify with the configured key. */
        BAD_SIGNATURE,
        /** Another document holds the scope, or the document changed meanwhile. */
        CONFLICT,
        /** No such document or version. */
        NOT_FOUND
    }
}
