package io.tollgate.policy.jobs.oidc;

/** An OIDC token or key set that cannot be trusted; the message says which check failed. */
public final class OidcException extends Exception {
    public OidcException(String message) {
        super(message);
    }
}
