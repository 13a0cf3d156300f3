package io.tollgate.policy.jobs.oidc;

import io.tollgate.policy.jobs.JobRequest;
import java.util.Optional;

/**
 * What a job registration must prove: nothing (no OIDC configured), or a token of the job's own run when one is sent,
 * or ({@code required}) always a token of the job's own run.
 */
public final class RegistrationCheck {
    private final Optional<OidcVerifier> verifier;
    private final boolean required;

    private RegistrationCheck(Optional<OidcVerifier> verifier, boolean required) {
        this.verifier = verifier;
        this.required = required;
    }

    public static RegistrationCheck none() {
        return new RegistrationCheck(Optional.empty(), false);
    }

    public static RegistrationCheck oidc(OidcVerifier verifier, boolean required) {
        return new RegistrationCheck(Optional.of(verifier), required);
    }

    /** May fetch the issuer's keys: call it off the event loop. */
    public void check(Optional<String> idToken, JobRequest request) throws OidcException {
        if (verifier.isEmpty()) {
            return;
        }
        if (idToken.isEmpty()) {
            if (required) {
                throw new OidcException("this gateway registers a job only with its GitHub OIDC token (id_token):"
                        + " give the workflow 'permissions: id-token: write' so the job-started hook can request one");
            }
            return;
        }
        verifier.get().verify(idToken.get(), request);
    }
}
