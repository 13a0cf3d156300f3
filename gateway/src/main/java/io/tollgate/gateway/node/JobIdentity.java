package io.tollgate.gateway.node;

import io.tollgate.gateway.config.GatewayConfig;
import io.tollgate.policy.jobs.oidc.JwksSource;
import io.tollgate.policy.jobs.oidc.OidcException;
import io.tollgate.policy.jobs.oidc.OidcVerifier;
import io.tollgate.policy.jobs.oidc.RegistrationCheck;
import java.time.Clock;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Builds what a job registration must prove from {@code gateway.jobs.oidc}; reads the issuer's keys at start. */
final class JobIdentity {
    private static final Logger LOG = LoggerFactory.getLogger(JobIdentity.class);

    private JobIdentity() {}

    static RegistrationCheck from(Optional<GatewayConfig.JobOidc> config) throws GatewayStartException {
        if (config.isEmpty()) {
            LOG.info("job registrations are not checked against GitHub OIDC tokens (gateway.jobs.oidc is not set):"
                    + " a registration chooses its job's policy, so keep the registrar token out of build steps' reach");
            return RegistrationCheck.none();
        }
        GatewayConfig.JobOidc oidc = config.get();
        JwksSource keys;
        try {
            keys = oidc.jwksFile().isPresent() ? JwksSource.file(oidc.jwksFile().get(), Clock.systemUTC())
                    : JwksSource.url(oidc.jwksUrl().orElseThrow(), Clock.systemUTC());
        } catch (OidcException e) {
            throw new GatewayStartException("gateway.jobs.oidc: " + e.getMessage(), e);
        }
        LOG.info("job registrations {} a GitHub OIDC token from {} for audience '{}', checked against the"
                + " registered repository, workflow and run", oidc.required() ? "need" : "are checked when they carry",
                oidc.issuer(), oidc.audience());
        return RegistrationCheck.oidc(new OidcVerifier(oidc.issuer(), oidc.audience(), keys::key, Clock.systemUTC()),
                oidc.required());
    }
}
