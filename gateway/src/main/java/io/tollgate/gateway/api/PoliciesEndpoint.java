package io.tollgate.gateway.api;

import io.tollgate.gateway.config.GatewayConfig.ApiRole;
import io.tollgate.gateway.config.GatewayConfig.ApiToken;
import io.tollgate.policy.store.PolicyHistory;
import io.tollgate.policy.store.PolicyRejected;
import io.tollgate.policy.store.PolicyRevision;
import io.tollgate.policy.store.PolicyStore;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code /v1/policies}: the policy store. Reading needs role {@code reader}; every change needs {@code admin} and is
 * recorded with the token's name as its author.
 * <ul>
 * <li>{@code GET /v1/policies}: every document with its version and scope</li>
 * <li>{@code GET /v1/policies/{name}}, {@code GET /v1/policies/{name}/versions/{n}}: the text of one version</li>
 * <li>{@code GET /v1/policies/{name}/history}: who changed what, when</li>
 * <li>{@code PUT /v1/policies/{name}}: a JSON bundle {@code {"document": "...", "signature": "..."}} or the YAML
 * itself; {@code ?dry-run=true} validates without storing</li>
 * <li>{@code POST /v1/policies/{name}/rollback} with {@code {"version": n}}; {@code DELETE /v1/policies/{name}}</li>
 * </ul>
 * Store calls wait on the cluster, so they run on the API's worker threads.
 */
public final class PoliciesEndpoint implements OperatorEndpoint {
    static final String PATH = "/v1/policies";
    private static final Logger LOG = LoggerFactory.getLogger(PoliciesEndpoint.class);
    private static final String STORE = "the policy store";
    private static final int BODY_LIMIT = 256 * 1024;

    private final BearerAuth auth;
    private final PolicyStore store;

    public PoliciesEndpoint(ApiTokens tokens, PolicyStore store) {
        this.auth = new BearerAuth(tokens);
        this.store = store;
    }

    @Override
    public boolean handles(String path) {
        return path.equals(PATH) || path.startsWith(PATH + "/");
    }

    @Override
    public void route(HttpServerRequest request) {
        String[] parts = request.path().substring(PATH.length()).split("/", -1);
        // parts[0] is empty (the path starts with '/' after PATH, or is PATH itself)
        HttpMethod method = request.method();
        if (parts.length == 1) {
            when(request, method == HttpMethod.GET, "GET", () -> list(request));
        } else if (parts.length == 2) {
            String name = parts[1];
            if (method == HttpMethod.GET) {
                show(request, name, Optional.empty());
            } else if (method == HttpMethod.PUT) {
                put(request, name);
            } else if (method == HttpMethod.DELETE) {
                delete(request, name);
            } else {
                Replies.methodNotAllowed(request, "GET, PUT, DELETE");
            }
        } else if (parts.length == 3 && parts[2].equals("history")) {
            when(request, method == HttpMethod.GET, "GET", () -> history(request, parts[1]));
        } else if (parts.length == 3 && parts[2].equals("rollback")) {
            when(request, method == HttpMethod.POST, "POST", () -> rollback(request, parts[1]));
        } else if (parts.length == 4 && parts[2].equals("versions")) {
            when(request, method == HttpMethod.GET, "GET", () -> show(request, parts[1], version(parts[3])));
        } else {
            Replies.error(request, 404, "no such endpoint; see GET /v1/policies, /v1/policies/{name},"
                    + " /v1/policies/{name}/history, /v1/policies/{name}/versions/{n}");
        }
    }

    private void list(HttpServerRequest request) {
        if (auth.admit(request, ApiRole.READER).isEmpty()) {
            return;
        }
        Replies.onWorker(store::histories).onComplete(done -> {
            if (done.failed()) {
                Replies.unavailable(LOG, request, STORE, "list the policies", done.cause());
                return;
            }
            JsonArray policies = new JsonArray();
            new TreeMap<>(done.result()).values().forEach(history -> policies.add(summary(history.latest())));
            Replies.json(request, 200, new JsonObject().put("policies", policies));
        });
    }

    private void show(HttpServerRequest request, String name, Optional<Integer> version) {
        if (auth.admit(request, ApiRole.READER).isEmpty()) {
            return;
        }
        Replies.onWorker(() -> store.history(name)).onComplete(done -> {
            if (done.failed()) {
                Replies.unavailable(LOG, request, STORE, "read policy '" + name + "'", done.cause());
                return;
            }
            Optional<PolicyHistory> history = done.result();
            if (history.isEmpty()) {
                Replies.error(request, 404, "no policy named '" + name + "'");
                return;
            }
            Optional<PolicyRevision> revision = version.isPresent() ? history.get().version(version.get())
                    : Optional.of(history.get().latest());
            if (revision.isEmpty()) {
                Replies.error(request, 404, "policy '" + name + "' has versions 1 to "
                        + history.get().revisions().size());
                return;
            }
            Replies.json(request, 200, summary(revision.get()).put("document", revision.get().text())
                    .put("signature", revision.get().signature()));
        });
    }

    private void history(HttpServerRequest request, String name) {
        if (auth.admit(request, ApiRole.READER).isEmpty()) {
            return;
        }
        Replies.onWorker(() -> store.history(name)).onComplete(done -> {
            if (done.failed()) {
                Replies.unavailable(LOG, request, STORE, "read the history of policy '" + name + "'", done.cause());
            } else if (done.result().isEmpty()) {
                Replies.error(request, 404, "no policy named '" + name + "'");
            } else {
                JsonArray revisions = new JsonArray();
                done.result().get().revisions().forEach(revision -> revisions.add(summary(revision)));
                Replies.json(request, 200, new JsonObject().put("name", name).put("revisions", revisions));
            }
        });
    }

    private void put(HttpServerRequest request, String name) {
        Optional<ApiToken> caller = auth.admit(request, ApiRole.ADMIN);
        if (caller.isEmpty()) {
            return;
        }
        boolean dryRun = "true".equals(request.getParam("dry-run"));
        BoundedBody.read(request, BODY_LIMIT, body -> {
            Map.Entry<String, String> bundle;
            try {
                bundle = bundle(request, body);
            } catch (IllegalArgumentException e) {
                Replies.error(request, 400, e.getMessage());
                return;
            }
            String text = bundle.getKey();
            String signature = bundle.getValue();
            if (dryRun) {
                change(request, "validate policy '" + name + "'", () -> {
                    var document = store.validate(name, text, signature);
                    return new JsonObject().put("name", name).put("valid", true)
                            .put("scope", document.scope().label())
                            .put("warnings", new JsonArray(document.warnings()));
                }, 200);
                return;
            }
            change(request, "store policy '" + name + "'", () -> {
                PolicyStore.Accepted accepted = store.put(name, text, signature, caller.get().name());
                LOG.info("policy '{}' version {} stored by '{}' from {}: {}", name, accepted.revision().version(),
                        caller.get().name(), request.remoteAddress().hostAddress(),
                        String.join("; ", accepted.revision().changes()));
                return summary(accepted.revision()).put("warnings", new JsonArray(accepted.warnings()));
            }, 200);
        });
    }

    private void rollback(HttpServerRequest request, String name) {
        Optional<ApiToken> caller = auth.admit(request, ApiRole.ADMIN);
        if (caller.isEmpty()) {
            return;
        }
        BoundedBody.read(request, 4096, body -> {
            Integer version;
            try {
                version = new JsonObject(body).getInteger("version");
            } catch (DecodeException | ClassCastException e) {
                version = null;
            }
            if (version == null) {
                Replies.error(request, 400, "send {\"version\": n}, the version to put back in force");
                return;
            }
            int target = version;
            change(request, "roll back policy '" + name + "'", () -> {
                PolicyStore.Accepted accepted = store.rollback(name, target, caller.get().name());
                LOG.info("policy '{}' rolled back to version {} as version {} by '{}'", name, target,
                        accepted.revision().version(), caller.get().name());
                return summary(accepted.revision()).put("warnings", new JsonArray(accepted.warnings()));
            }, 200);
        });
    }

    private void delete(HttpServerRequest request, String name) {
        Optional<ApiToken> caller = auth.admit(request, ApiRole.ADMIN);
        if (caller.isEmpty()) {
            return;
        }
        change(request, "delete policy '" + name + "'", () -> {
            PolicyRevision revision = store.delete(name, caller.get().name());
            LOG.info("policy '{}' deleted as version {} by '{}'", name, revision.version(), caller.get().name());
            return summary(revision);
        }, 200);
    }

    /** The document and signature of a PUT: a JSON bundle, or the YAML itself (unsigned). */
    private static Map.Entry<String, String> bundle(HttpServerRequest request, Buffer body) {
        String type = Optional.ofNullable(request.getHeader(HttpHeaders.CONTENT_TYPE)).orElse("");
        if (!type.toLowerCase(Locale.ROOT).startsWith("application/json")) {
            return Map.entry(body.toString(), "");
        }
        JsonObject json;
        try {
            json = new JsonObject(body);
        } catch (DecodeException e) {
            throw new IllegalArgumentException("the body is not a JSON object: " + e.getMessage());
        }
        Object document = json.getValue("document");
        Object signature = json.getValue("signature");
        if (!(document instanceof String text)) {
            throw new IllegalArgumentException("the bundle has no \"document\" string (the policy YAML)");
        }
        if (signature != null && !(signature instanceof String)) {
            throw new IllegalArgumentException("\"signature\" must be the base64 Ed25519 signature of the document");
        }
        return Map.entry(text, signature == null ? "" : (String) signature);
    }

    private static JsonObject summary(PolicyRevision revision) {
        return new JsonObject().put("name", revision.name()).put("version", revision.version())
                .put("action", revision.action().name().toLowerCase(Locale.ROOT)).put("author", revision.author())
                .put("at", revision.at().toString()).put("signed", revision.signature() != null
                        && !revision.signature().isBlank())
                .put("restored_version", revision.restoredVersion() == 0 ? null : revision.restoredVersion())
                .put("changes", new JsonArray(revision.changes()));
    }

    private void change(HttpServerRequest request, String what, StoreCall call, int status) {
        Vertx.currentContext().<JsonObject>executeBlocking(() -> {
            try {
                return call.run();
            } catch (PolicyRejected e) {
                throw new RejectedCall(e);
            }
        }).onComplete(done -> {
            if (done.succeeded()) {
                Replies.json(request, status, done.result());
            } else if (done.cause() instanceof RejectedCall rejected) {
                PolicyRejected e = rejected.rejection;
                LOG.warn("could not {}: {}", what, e.getMessage());
                Replies.error(request, switch (e.kind()) {
                    case INVALID -> 400;
                    case UNSIGNED, BAD_SIGNATURE -> 403;
                    case CONFLICT -> 409;
                    case NOT_FOUND -> 404;
                }, e.getMessage());
            } else {
                Replies.unavailable(LOG, request, STORE, what, done.cause());
            }
        });
    }

    private static Optional<Integer> version(String text) {
        try {
            return Optional.of(Integer.parseInt(text));
        } catch (NumberFormatException e) {
            return Optional.of(0);
        }
    }

    private static void when(HttpServerRequest request, boolean allowed, String methods, Runnable action) {
        if (allowed) {
            action.run();
        } else {
            Replies.methodNotAllowed(request, methods);
        }
    }



    @FunctionalInterface
    private interface StoreCall {
        JsonObject run() throws PolicyRejected;
    }

    /** Carries a rejection through the worker's future so the reply can map it to a status. */
    private static final class RejectedCall extends RuntimeException {
        private final PolicyRejected rejection;

        RejectedCall(PolicyRejected rejection) {
            super(rejection.getMessage(), rejection, false, false);
            this.rejection = rejection;
        }
    }
}
