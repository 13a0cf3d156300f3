package io.tollgate.gateway.api;

import com.google.common.net.InetAddresses;
import io.tollgate.gateway.config.GatewayConfig.ApiRole;
import io.tollgate.gateway.config.GatewayConfig.ApiToken;
import io.tollgate.policy.jobs.Job;
import io.tollgate.policy.jobs.JobConflictException;
import io.tollgate.policy.jobs.JobRegistry;
import io.tollgate.policy.jobs.JobRequest;
import io.tollgate.policy.jobs.oidc.OidcException;
import io.tollgate.policy.jobs.oidc.RegistrationCheck;
import io.tollgate.policy.scope.EffectivePolicies;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.InetAddress;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code /v1/jobs}: runners register ({@code POST}, role {@code registrar}) and finish ({@code DELETE /v1/jobs/{ip}}
 * with the job's finish secret) their jobs; operators list them ({@code GET}, role {@code reader}). A registration is
 * accepted only from the address it names, and not for an address that holds a live job. Registry calls may wait on
 * the cluster, so they run on the API's worker thread, never its event loop.
 */
public final class JobsEndpoint implements OperatorEndpoint {
    public static final String FINISH_SECRET_HEADER = "X-Tollgate-Finish-Secret";
    static final String PATH = "/v1/jobs";
    private static final Logger LOG = LoggerFactory.getLogger(JobsEndpoint.class);
    private static final String STORE = "the job registry";
    private static final int BODY_LIMIT = 4096;

    private final BearerAuth auth;
    private final JobRegistry registry;
    private final Supplier<EffectivePolicies> policies;
    private final RegistrationCheck identity;

    public JobsEndpoint(ApiTokens tokens, JobRegistry registry, Supplier<EffectivePolicies> policies) {
        this(tokens, registry, policies, RegistrationCheck.none());
    }

    /** {@code identity} decides what a registration must prove (a GitHub OIDC token of the job's own run). */
    public JobsEndpoint(ApiTokens tokens, JobRegistry registry, Supplier<EffectivePolicies> policies,
            RegistrationCheck identity) {
        this.auth = new BearerAuth(tokens);
        this.registry = registry;
        this.policies = policies;
        this.identity = identity;
    }

    @Override
    public boolean handles(String path) {
        return path.equals(PATH) || path.startsWith(PATH + "/");
    }

    @Override
    public void route(HttpServerRequest request) {
        route(request, true);
    }

    /** Routes a {@code /v1/jobs…} request; {@code listing} is false where runners connect. */
    void route(HttpServerRequest request, boolean listing) {
        if (request.path().equals(PATH)) {
            if (request.method() == HttpMethod.POST) {
                start(request);
            } else if (listing && request.method() == HttpMethod.GET) {
                list(request);
            } else {
                Replies.methodNotAllowed(request, listing ? "GET, POST" : "POST");
            }
        } else if (request.method() == HttpMethod.DELETE) {
            finish(request, request.path().substring(PATH.length() + 1));
        } else {
            Replies.methodNotAllowed(request, "DELETE");
        }
    }

    private void start(HttpServerRequest request) {
        var caller = auth.admit(request, ApiRole.REGISTRAR);
        if (caller.isEmpty()) {
            return;
        }
        BoundedBody.read(request, BODY_LIMIT, body -> start(request, caller.get(), body));
    }

    private void start(HttpServerRequest request, ApiToken caller, Buffer body) {
        JobRequest job;
        Optional<String> idToken;
        try {
            JsonObject json = new JsonObject(body);
            job = JobRequestJson.parse(json);
            idToken = JobRequestJson.idToken(json);
        } catch (DecodeException | ClassCastException e) {
            Replies.error(request, 400, "the body is not a JSON object: " + e.getMessage());
            return;
        } catch (IllegalArgumentException e) {
            Replies.error(request, 400, e.getMessage());
            return;
        }
        String source = request.remoteAddress().hostAddress();
        if (!InetAddresses.isInetAddress(source) || !InetAddresses.forString(source).equals(job.ip())) {
            LOG.warn("job registration for {} from {} refused (token '{}'): a runner registers only itself",
                    InetAddresses.toAddrString(job.ip()), source, caller.name());
            Replies.error(request, 403, "a job is registered only by its own runner: this request comes from "
                    + source + ", not " + InetAddresses.toAddrString(job.ip()));
            return;
        }
        Replies.onWorker(() -> {
            try {
                identity.check(idToken, job);
            } catch (OidcException e) {
                throw new UnprovenJob(e.getMessage());
            }
            return registry.register(job);
        }).onComplete(done -> {
            if (done.succeeded()) {
                Job registered = done.result().job();
                LOG.info("job {} started on {}: {} workflow '{}' job '{}' run {} attempt {} on runner '{}' (token '{}')",
                        registered.id(), source, registered.repo(), registered.workflow(), registered.job(),
                        registered.runId(), registered.runAttempt(), registered.runnerName(), caller.name());
                Replies.json(request, 201, new JsonObject().put("id", registered.id())
                        .put("finish_secret", done.result().finishSecret()));
            } else if (done.cause() instanceof UnprovenJob unproven) {
                LOG.warn("job registration for {} ({} run {}) from {} refused (token '{}'): {}",
                        InetAddresses.toAddrString(job.ip()), job.repo(), job.runId(), source, caller.name(),
                        unproven.getMessage());
                Replies.error(request, 403, "the job's identity is not proven: " + unproven.getMessage());
            } else if (done.cause() instanceof JobConflictException conflict) {
                LOG.warn("job registration from {} refused: {}", source, conflict.getMessage());
                Replies.error(request, 409, conflict.getMessage());
            } else {
                Replies.unavailable(LOG, request, STORE, "register the job", done.cause());
            }
        });
    }

    private void finish(HttpServerRequest request, String ipText) {
        if (auth.admit(request, ApiRole.REGISTRAR).isEmpty()) {
            return;
        }
        if (!InetAddresses.isInetAddress(ipText)) {
            Replies.error(request, 400, "'" + ipText + "' is not an IP address; use DELETE /v1/jobs/{runner ip}");
            return;
        }
        String secret = request.getHeader(FINISH_SECRET_HEADER);
        if (secret == null || secret.isBlank()) {
            Replies.error(request, 400, "the " + FINISH_SECRET_HEADER + " header is missing: send the finish_secret"
                    + " that registering the job returned");
            return;
        }
        InetAddress ip = InetAddresses.forString(ipText);
        Replies.onWorker(() -> registry.finish(ip, secret.strip())).onComplete(done -> {
            if (done.failed()) {
                Replies.unavailable(LOG, request, STORE, "finish the job", done.cause());
                return;
            }
            switch (done.result()) {
                case FINISHED -> {
                    LOG.info("job on {} finished (request from {})", ipText, request.remoteAddress().hostAddress());
                    request.response().setStatusCode(204).end();
                }
                case NO_JOB -> Replies.error(request, 404, "no live job on " + ipText);
                case WRONG_SECRET -> {
                    LOG.warn("finishing the job on {} refused: wrong finish secret from {}", ipText,
                            request.remoteAddress().hostAddress());
                    Replies.error(request, 403, "wrong finish secret for the job on " + ipText);
                }
            }
        });
    }

    private void list(HttpServerRequest request) {
        if (auth.admit(request, ApiRole.READER).isEmpty()) {
            return;
        }
        Replies.onWorker(registry::active).onComplete(done -> {
            if (done.failed()) {
                Replies.unavailable(LOG, request, STORE, "list the jobs", done.cause());
                return;
            }
            JsonArray jobs = new JsonArray();
            EffectivePolicies table = policies.get();
            for (Map.Entry<String, Job> e : done.result().entrySet()) {
                jobs.add(describe(e.getKey(), e.getValue(), table));
            }
            Replies.json(request, 200, new JsonObject().put("jobs", jobs));
        });
    }

    private static JsonObject describe(String ip, Job job, EffectivePolicies table) {
        JsonObject row = new JsonObject().put("ip", ip).put("id", job.id()).put("repo", job.repo())
                .put("workflow", job.workflow()).put("job", job.job()).put("run_id", job.runId())
                .put("run_attempt", job.runAttempt()).put("runner_name", job.runnerName())
                .put("started_at", job.startedAt().toString());
        table.resolve(InetAddresses.forString(ip)).ifPresent(resolved -> row.put("policy", new JsonObject()
                .put("name", resolved.policy().name()).put("version", resolved.policy().version())
                .put("mode", resolved.policy().mode().name().toLowerCase(Locale.ROOT))
                .put("scope", resolved.origin())));
        return row;
    }



    /** A registration whose OIDC proof failed, carried through the worker's future to the reply. */
    private static final class UnprovenJob extends RuntimeException {
        UnprovenJob(String message) {
            super(message, null, false, false);
        }
    }
}
