package io.tollgate.gateway.api;

import io.tollgate.gateway.config.GatewayConfig.ApiRole;
import io.tollgate.gateway.config.GatewayConfig.ApiToken;
import io.tollgate.policy.PolicyException;
import io.tollgate.policy.ioc.CentralIoc;
import io.tollgate.policy.ioc.IocStore;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code /v1/ioc}: the cluster's central IOC list, blocked for every job in every mode on top of each node's
 * configured IOC. {@code GET} (role {@code reader}) shows it; {@code POST} (role {@code admin}) with
 * {@code {"domains": [...], "ips": [...], "remove": [...]}} changes it in one versioned, audited step.
 */
public final class IocEndpoint implements OperatorEndpoint {
    static final String PATH = "/v1/ioc";
    private static final Logger LOG = LoggerFactory.getLogger(IocEndpoint.class);
    private static final String STORE = "the cluster";
    private static final int BODY_LIMIT = 1024 * 1024;

    private final BearerAuth auth;
    private final IocStore store;

    public IocEndpoint(ApiTokens tokens, IocStore store) {
        this.auth = new BearerAuth(tokens);
        this.store = store;
    }

    @Override
    public boolean handles(String path) {
        return path.equals(PATH);
    }

    @Override
    public void route(HttpServerRequest request) {
        if (request.method() == HttpMethod.GET) {
            show(request);
        } else if (request.method() == HttpMethod.POST) {
            change(request);
        } else {
            Replies.methodNotAllowed(request, "GET, POST");
        }
    }

    private void show(HttpServerRequest request) {
        if (auth.admit(request, ApiRole.READER).isEmpty()) {
            return;
        }
        Replies.onWorker(store::current).onComplete(done -> {
            if (done.failed()) {
                Replies.unavailable(LOG, request, STORE, "read the central IOC list", done.cause());
            } else {
                Replies.json(request, 200, json(done.result()));
            }
        });
    }

    private void change(HttpServerRequest request) {
        Optional<ApiToken> caller = auth.admit(request, ApiRole.ADMIN);
        if (caller.isEmpty()) {
            return;
        }
        BoundedBody.read(request, BODY_LIMIT, body -> {
            Change change;
            try {
                change = Change.parse(body);
            } catch (IllegalArgumentException e) {
                Replies.error(request, 400, e.getMessage());
                return;
            }
            Replies.<CentralIoc>onWorker(() -> {
                try {
                    return store.change(change.domains(), change.ips(), change.remove(), caller.get().name());
                } catch (PolicyException e) {
                    throw new IllegalArgumentException(e.getMessage(), e);
                }
            }).onComplete(done -> {
                if (done.succeeded()) {
                    LOG.info("central IOC list version {} by '{}': {}", done.result().version(), caller.get().name(),
                            String.join("; ", done.result().changes()));
                    Replies.json(request, 200, json(done.result()));
                } else if (done.cause() instanceof IllegalArgumentException invalid) {
                    Replies.error(request, 400, invalid.getMessage());
                } else {
                    Replies.unavailable(LOG, request, STORE, "change the central IOC list", done.cause());
                }
            });
        });
    }

    private static JsonObject json(CentralIoc ioc) {
        return new JsonObject().put("version", ioc.version()).put("author", ioc.author())
                .put("at", ioc.version() == 0 ? null : ioc.at().toString())
                .put("domains", new JsonArray(ioc.domains())).put("ips", new JsonArray(ioc.ips()))
                .put("changes", new JsonArray(ioc.changes()));
    }


    /** The body of a change: entries to add (domains, addresses or networks) and entries to remove. */
    private record Change(List<String> domains, List<String> ips, List<String> remove) {
        static Change parse(Buffer body) {
            JsonObject json;
            try {
                json = new JsonObject(body);
            } catch (DecodeException e) {
                throw new IllegalArgumentException("the body is not a JSON object: " + e.getMessage());
            }
            for (String key : json.fieldNames()) {
                if (!List.of("domains", "ips", "remove").contains(key)) {
                    throw new IllegalArgumentException("unknown field '" + key + "'; use domains, ips and remove");
                }
            }
            Change change = new Change(strings(json, "domains"), strings(json, "ips"), strings(json, "remove"));
            if (change.domains.isEmpty() && change.ips.isEmpty() && change.remove.isEmpty()) {
                throw new IllegalArgumentException("nothing to change: send {\"domains\": [...], \"ips\": [...],"
                        + " \"remove\": [...]}");
            }
            return change;
        }

        private static List<String> strings(JsonObject json, String key) {
            Object value = json.getValue(key);
            if (value == null) {
                return List.of();
            }
            if (!(value instanceof JsonArray array)) {
                throw new IllegalArgumentException("'" + key + "' must be a list of strings");
            }
            List<String> out = new ArrayList<>();
            for (Object item : array) {
                if (!(item instanceof String text) || text.isBlank()) {
                    throw new IllegalArgumentException("'" + key + "' must be a list of non-empty strings");
                }
                out.add(text);
            }
            return out;
        }
    }
}
