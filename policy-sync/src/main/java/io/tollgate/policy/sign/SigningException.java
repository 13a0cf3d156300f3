package io.tollgate.policy.sign;

/** A signing key that cannot be read or used; the message names the file and what to do. */
public final class SigningException extends Exception {
    public SigningException(String message) {
        super(message);
    }
}
