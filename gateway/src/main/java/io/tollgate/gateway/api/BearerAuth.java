package io.tollgate.gateway.api;

import io.tollgate.gateway.config.GatewayConfig.ApiRole;
import io.tollgate.gateway.config.GatewayConfig.ApiToken;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import java.util.Locale;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Admits a request whose {@code Authorization: Bearer} token has the role an endpoint needs; answers 401 (no or an
 * unknown token) or 403 (a known token without the role) otherwise. Refusals are logged with the client's address and
 * never with the presented token.
 */
final class BearerAuth {
    private static final Logger LOG = LoggerFactory.getLogger(BearerAuth.class);
    private static final String SCHEME = "bearer ";

    private final ApiTokens tokens;

    BearerAuth(ApiTokens tokens) {
        this.tokens = tokens;
    }

    /** The caller's token when it may go on; otherwise the refusal has been sent and the result is empty. */
    Optional<ApiToken> admit(HttpServerRequest request, ApiRole needed) {
        String header = request.getHeader(HttpHeaders.AUTHORIZATION);
        if (header == null || !header.toLowerCase(Locale.ROOT).startsWith(SCHEME)) {
            return refuse(request, 401, "no bearer token");
        }
        Optional<ApiToken> caller = tokens.authenticate(header.substring(SCHEME.length()).strip());
        if (caller.isEmpty()) {
            return refuse(request, 401, "unknown bearer token");
        }
        if (!caller.get().role().grants(needed)) {
            return refuse(request, 403, "token '" + caller.get().name() + "' has role "
                    + wire(caller.get().role()) + ", " + wire(needed) + " is needed");
        }
        return caller;
    }

    private static Optional<ApiToken> refuse(HttpServerRequest request, int status, String why) {
        LOG.warn("API {} {} from {} refused ({}): {}", request.method(), request.path(), request.remoteAddress(),
                status, why);
        var response = request.response().setStatusCode(status);
        if (status == 401) {
            response.putHeader("WWW-Authenticate", "Bearer");
        }
        response.putHeader(HttpHeaders.CONTENT_TYPE, "text/plain; charset=utf-8").end(why + "\n");
        return Optional.empty();
    }

    private static String wire(ApiRole role) {
        return role.name().toLowerCase(Locale.ROOT);
    }
}
