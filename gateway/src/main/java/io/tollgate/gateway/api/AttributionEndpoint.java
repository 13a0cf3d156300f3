package io.tollgate.gateway.api;

import com.google.common.net.InetAddresses;
import io.tollgate.gateway.attribution.AttributedProcess;
import io.tollgate.gateway.attribution.AttributionStore;
import io.tollgate.gateway.attribution.ConnectionKey;
import io.tollgate.gateway.attribution.HttpsEvents;
import io.tollgate.gateway.attribution.HttpsObservation;
import io.tollgate.gateway.config.GatewayConfig.ApiRole;
import io.tollgate.gateway.config.GatewayConfig.ApiToken;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /v1/attribution} (role {@code agent}, runner-facing addresses): a batch from agent-lite, with
 * {@code connections} (5-tuple → process, stored in {@value AttributionStore#MAP}) and {@code https} (requests read
 * from TLS writes, recorded as {@code kind: https} events). The runner runs untrusted code, so a batch is accepted
 * only when every record's source address is the address the request comes from: an agent can describe its own
 * runner's connections and nobody else's. One foreign record refuses the whole batch (403).
 */
public final class AttributionEndpoint {
    static final String PATH = "/v1/attribution";
    private static final Logger LOG = LoggerFactory.getLogger(AttributionEndpoint.class);
    private static final int BODY_LIMIT = 4 * 1024 * 1024;
    private static final int MAX_RECORDS = 10_000;
    private static final int MAX_TEXT = 4096;
    private static final int MAX_ARGS = 64;

    private final BearerAuth auth;
    private final AttributionStore store;
    private final HttpsEvents https;

    public AttributionEndpoint(ApiTokens tokens, AttributionStore store, HttpsEvents https) {
        this.auth = new BearerAuth(tokens);
        this.store = store;
        this.https = https;
    }

    static boolean handles(String path) {
        return path.equals(PATH);
    }

    void route(HttpServerRequest request) {
        if (request.method() != HttpMethod.POST) {
            Replies.methodNotAllowed(request, "POST");
            return;
        }
        var caller = auth.admit(request, ApiRole.AGENT);
        if (caller.isEmpty()) {
            return;
        }
        BoundedBody.read(request, BODY_LIMIT, body -> accept(request, caller.get(), body));
    }

    private record Batch(Map<String, AttributedProcess> connections, List<HttpsObservation> requests) {}

    /** A record the batch must not contain; {@code status} 400 (malformed) or 403 (names another source). */
    private static final class Refused extends Exception {
        final int status;

        Refused(int status, String message) {
            super(message, null, false, false);
            this.status = status;
        }
    }

    private void accept(HttpServerRequest request, ApiToken caller, Buffer body) {
        String from = request.remoteAddress().hostAddress();
        Batch batch;
        try {
            batch = parse(new JsonObject(body), InetAddresses.forString(from));
        } catch (DecodeException | ClassCastException e) {
            Replies.error(request, 400, "the body is not a JSON object: " + e.getMessage());
            return;
        } catch (Refused e) {
            if (e.status == 403) {
                LOG.warn("attribution batch from {} refused (token '{}'): {}", from, caller.name(), e.getMessage());
            }
            Replies.error(request, e.status, e.getMessage());
            return;
        }
        batch.requests().forEach(https::record);
        var context = Vertx.currentContext();
        store.putAll(batch.connections()).whenComplete((done, failure) -> context.runOnContext(ignored -> {
            if (failure != null) {
                LOG.error("could not store {} attributions from {}: {}", batch.connections().size(), from,
                        failure.toString());
                Replies.error(request, 503, "could not store the attributions: the cluster map "
                        + AttributionStore.MAP + " is unavailable; the agent retries");
            } else {
                Replies.json(request, 202, new JsonObject().put("connections", batch.connections().size())
                        .put("https", batch.requests().size()));
            }
        }));
    }

    private static Batch parse(JsonObject json, InetAddress from) throws Refused {
        JsonArray connections = json.getJsonArray("connections", new JsonArray());
        JsonArray requests = json.getJsonArray("https", new JsonArray());
        if (connections.size() + requests.size() > MAX_RECORDS) {
            throw new Refused(413, "a batch holds at most " + MAX_RECORDS + " records, this one "
                    + (connections.size() + requests.size()));
        }
        Map<String, AttributedProcess> byKey = new LinkedHashMap<>();
        for (int i = 0; i < connections.size(); i++) {
            String where = "connections[" + i + "]";
            JsonObject c = connections.getJsonObject(i);
            String protocol = c.getString("proto", "tcp");
            if (!protocol.equals("tcp") && !protocol.equals("udp")) {
                throw new Refused(400, where + ".proto is '" + protocol + "'; tcp or udp");
            }
            InetAddress src = source(c, where, from);
            byKey.put(ConnectionKey.of(protocol, src, port(c, "sport", where), address(c, "dst", where),
                    port(c, "dport", where)), process(c.getJsonObject("process"), where));
        }
        List<HttpsObservation> observed = new ArrayList<>();
        for (int i = 0; i < requests.size(); i++) {
            String where = "https[" + i + "]";
            JsonObject r = requests.getJsonObject(i);
            InetAddress src = r.containsKey("src") ? source(r, where, from) : from;
            boolean tuple = r.containsKey("dst");
            observed.add(new HttpsObservation(src, tuple ? port(r, "sport", where) : 0,
                    tuple ? address(r, "dst", where) : null, tuple ? port(r, "dport", where) : 0,
                    r.containsKey("process") ? process(r.getJsonObject("process"), where) : null,
                    text(r, "method", where, true), text(r, "host", where, false), text(r, "path", where, true)));
        }
        return new Batch(byKey, observed);
    }

    private static InetAddress source(JsonObject record, String where, InetAddress from) throws Refused {
        InetAddress src = address(record, "src", where);
        if (!src.equals(from)) {
            throw new Refused(403, where + " names source " + InetAddresses.toAddrString(src)
                    + ", but this agent connects from " + InetAddresses.toAddrString(from)
                    + "; an agent reports only its own runner's connections");
        }
        return src;
    }

    private static InetAddress address(JsonObject record, String field, String where) throws Refused {
        String text = record.getString(field);
        if (text == null || !InetAddresses.isInetAddress(text)) {
            throw new Refused(400, where + "." + field + " is " + (text == null ? "missing" : "'" + text + "'")
                    + "; an IP address is needed");
        }
        return InetAddresses.forString(text);
    }

    private static int port(JsonObject record, String field, String where) throws Refused {
        Integer port = record.getInteger(field);
        if (port == null || port < 0 || port > 65535) {
            throw new Refused(400, where + "." + field + " is " + port + "; a port 0-65535 is needed");
        }
        return port;
    }

    private static String text(JsonObject record, String field, String where, boolean required) throws Refused {
        String value = record.getString(field);
        if (value == null && required) {
            throw new Refused(400, where + "." + field + " is missing");
        }
        if (value != null && value.length() > MAX_TEXT) {
            throw new Refused(400, where + "." + field + " is longer than " + MAX_TEXT + " characters");
        }
        return value;
    }

    private static AttributedProcess process(JsonObject p, String where) throws Refused {
        if (p == null) {
            throw new Refused(400, where + ".process is missing");
        }
        Integer pid = p.getInteger("pid");
        if (pid == null || pid <= 0) {
            throw new Refused(400, where + ".process.pid is " + pid + "; a process id is needed");
        }
        JsonArray argv = p.getJsonArray("args", new JsonArray());
        List<String> args = new ArrayList<>();
        for (int i = 0; i < Math.min(argv.size(), MAX_ARGS); i++) {
            String arg = argv.getString(i);
            args.add(arg.length() > MAX_TEXT ? arg.substring(0, MAX_TEXT) : arg);
        }
        return new AttributedProcess(pid, p.getInteger("ppid", 0), text(p, "exe", where + ".process", false),
                args, text(p, "step", where + ".process", false));
    }
}
