package io.tollgate.gateway.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.google.common.net.InetAddresses;
import io.tollgate.gateway.config.GatewayConfig.Api;
import io.tollgate.gateway.config.GatewayConfig.ApiRole;
import io.tollgate.gateway.config.GatewayConfig.ApiTls;
import io.tollgate.gateway.config.GatewayConfig.Attribution;
import io.tollgate.gateway.config.GatewayConfig.ApiToken;
import io.tollgate.gateway.config.GatewayConfig.Cluster;
import io.tollgate.gateway.config.GatewayConfig.Dns;
import io.tollgate.gateway.config.GatewayConfig.Events;
import io.tollgate.gateway.config.GatewayConfig.Gateway;
import io.tollgate.gateway.config.GatewayConfig.Ioc;
import io.tollgate.gateway.config.GatewayConfig.Listen;
import io.tollgate.gateway.config.GatewayConfig.NftablesMode;
import io.tollgate.gateway.config.RawConfig.RawApi;
import io.tollgate.gateway.config.RawConfig.RawApiTls;
import io.tollgate.gateway.config.RawConfig.RawApiToken;
import io.tollgate.gateway.config.RawConfig.RawAttribution;
import io.tollgate.gateway.config.RawConfig.RawAws;
import io.tollgate.gateway.config.RawConfig.RawCluster;
import io.tollgate.gateway.config.RawConfig.RawDns;
import io.tollgate.gateway.config.RawConfig.RawEvents;
import io.tollgate.gateway.config.RawConfig.RawGateway;
import io.tollgate.gateway.config.RawConfig.RawIoc;
import io.tollgate.gateway.config.RawConfig.RawListen;
import io.tollgate.gateway.config.RawConfig.RawPolicy;
import io.tollgate.policy.PolicySpec;
import io.tollgate.policy.cluster.AwsDiscovery;
import io.tollgate.policy.ioc.PublicDohResolvers;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/** Reads the YAML configuration of DESIGN.md; every key has a default, every mistake names its line. */
public final class ConfigLoader {
    private static final Duration DEFAULT_BINDING_WAIT = Duration.ofMillis(250);
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);

    private ConfigLoader() {}

    public static GatewayConfig load(Path file) throws ConfigException {
        String text;
        try {
            text = Files.readString(file);
        } catch (NoSuchFileException e) {
            throw new ConfigException("config file " + file + " does not exist");
        } catch (IOException e) {
            throw new ConfigException("cannot read config file " + file + ": " + e.getMessage(), e);
        }
        return parse(file.toString(), text);
    }

    public static GatewayConfig parse(String source, String yaml) throws ConfigException {
        RawConfig raw;
        try {
            raw = yaml.isBlank() ? null : YAML.readValue(yaml, RawConfig.class);
        } catch (UnrecognizedPropertyException e) {
            throw new ConfigException(whereKey(source, yaml, e.getPropertyName(), e.getLocation())
                    + "unknown key '" + e.getPropertyName() + "'"
                    + pathOf(e) + "; known keys here: "
                    + e.getKnownPropertyIds().stream().map(String::valueOf).sorted().collect(Collectors.joining(", ")));
        } catch (JsonMappingException e) {
            throw new ConfigException(where(source, e.getLocation()) + "wrong value" + pathOf(e) + ": "
                    + e.getOriginalMessage().replaceAll(" \\(class [^)]*\\)", ""));
        } catch (JsonProcessingException e) {
            throw new ConfigException(where(source, e.getLocation()) + "not valid YAML: " + e.getOriginalMessage());
        }
        if (raw == null) {
            raw = new RawConfig(null, null, null, null, null, null);
        }
        Gateway gateway = gateway(raw.gateway());
        return new GatewayConfig(gateway, cluster(raw.cluster(), gateway.api(), new Located(source, yaml)), policies(raw.policies()), ioc(raw.ioc()),
                raw.endpointSets() == null ? Map.of() : Map.copyOf(raw.endpointSets()), policyStore(raw.policyStore()),
                jobOidc(raw.gateway() == null || raw.gateway().jobs() == null ? null : raw.gateway().jobs().oidc()));
    }

    private static Optional<GatewayConfig.JobOidc> jobOidc(RawConfig.RawOidc raw) throws ConfigException {
        if (raw == null) {
            return Optional.empty();
        }
        if (raw.audience() == null || raw.audience().isBlank()) {
            throw new ConfigException("gateway.jobs.oidc.audience is missing: the audience the runner hooks request"
                    + " their token for, e.g. tollgate");
        }
        if ((raw.jwksFile() == null) == (raw.jwksUrl() == null)) {
            throw new ConfigException("gateway.jobs.oidc needs exactly one of jwks-file and jwks-url (GitHub's is"
                    + " https://token.actions.githubusercontent.com/.well-known/jwks)");
        }
        Optional<URI> url = Optional.empty();
        if (raw.jwksUrl() != null) {
            try {
                URI uri = URI.create(raw.jwksUrl().strip());
                if (!"https".equals(uri.getScheme()) && !"http".equals(uri.getScheme()) || uri.getHost() == null) {
                    throw new IllegalArgumentException("not an http(s) URL");
                }
                url = Optional.of(uri);
            } catch (IllegalArgumentException e) {
                throw new ConfigException("gateway.jobs.oidc.jwks-url '" + raw.jwksUrl() + "' is not an http(s) URL");
            }
        }
        return Optional.of(new GatewayConfig.JobOidc(
                raw.issuer() == null ? "https://token.actions.githubusercontent.com" : raw.issuer().strip(),
                raw.audience().strip(), Optional.ofNullable(raw.jwksFile()).map(Path::of), url,
                raw.required() == null || raw.required()));
    }

    private static GatewayConfig.PolicyStore policyStore(RawConfig.RawPolicyStore raw) throws ConfigException {
        String dir = raw == null || raw.dir() == null ? "/var/lib/tollgate/policies" : raw.dir();
        if (dir.isBlank()) {
            throw new ConfigException("policy-store.dir is empty; name the directory where this node keeps the"
                    + " policy store's documents");
        }
        Optional<Path> key = raw == null || raw.verifyKey() == null ? Optional.empty()
                : Optional.of(Path.of(raw.verifyKey()));
        return new GatewayConfig.PolicyStore(Path.of(dir), key);
    }

    private static Gateway gateway(RawGateway g) throws ConfigException {
        if (g == null) {
            g = new RawGateway(null, null, null, null, null, null, null, null, null, null, null, null, null);
        }
        RawListen l = g.listen() == null ? new RawListen(null, null, null, null) : g.listen();
        Listen listen = new Listen(port("gateway.listen.tcp", l.tcp(), 15001), port("gateway.listen.dns", l.dns(), 15053),
                port("gateway.listen.quic", l.quic(), 15443), port("gateway.listen.api", l.api(), 9901));
        List<String> interfaces = g.runnerInterfaces() == null ? List.of("eth1") : List.copyOf(g.runnerInterfaces());
        if (interfaces.isEmpty()) {
            throw new ConfigException("gateway.runner-interfaces is empty: name the interfaces runner traffic arrives on");
        }
        for (String name : interfaces) {
            if (!name.matches("[A-Za-z0-9_.@-]{1,15}")) {
                throw new ConfigException("gateway.runner-interfaces: '" + name + "' is not a valid interface name");
            }
        }
        int workers = g.workerThreads() == null ? Runtime.getRuntime().availableProcessors() : g.workerThreads();
        if (workers < 1) {
            throw new ConfigException("gateway.worker-threads must be at least 1");
        }
        return new Gateway(
                interfaces,
                listen,
                api(g.api()),
                upstreamDns(g.upstreamDns()),
                dns(g.dns()),
                choice("gateway.nftables", g.nftables(), NftablesMode.MANAGE, NftablesMode.class),
                events(g.events()),
                g.peekTimeout() == null ? Duration.ofSeconds(3) : DurationText.parse("gateway.peek-timeout", g.peekTimeout()),
                g.connectTimeout() == null ? Duration.ofSeconds(10)
                        : DurationText.parse("gateway.connect-timeout", g.connectTimeout()),
                duration("gateway.jobs.max-duration", g.jobs() == null ? null : g.jobs().maxDuration(),
                        Duration.ofHours(6)),
                workers,
                g.nodeName() == null ? hostName() : g.nodeName(),
                attribution(g.attribution()));
    }

    private static Events events(RawEvents e) throws ConfigException {
        if (e == null) {
            e = new RawEvents(null, null, null, null);
        }
        return new Events(Path.of(e.file() == null ? "/var/log/tollgate/events.jsonl" : e.file()),
                e.maxSize() == null ? 100L * 1024 * 1024 : SizeText.parse("gateway.events.max-size", e.maxSize()),
                positive("gateway.events.keep", e.keep(), 5),
                positive("gateway.events.cluster-capacity", e.clusterCapacity(), 100_000));
    }

    private static Api api(RawApi a) throws ConfigException {
        if (a == null) {
            a = new RawApi(null, null, null, null);
        }
        String bind = a.bind() == null ? "127.0.0.1" : a.bind().trim();
        if (!InetAddresses.isInetAddress(bind)) {
            throw new ConfigException("gateway.api.bind: '" + a.bind() + "' is not an IP address; write the address"
                    + " operators reach the API on, e.g. 127.0.0.1 or 10.0.0.5 (never a runner-facing one)");
        }
        InetAddress operatorBind = InetAddresses.forString(bind);
        return new Api(operatorBind, runnerBind(a.runnerBind(), operatorBind), apiTokens(a.tokens()), apiTls(a.tls()));
    }

    /** Runner-facing API addresses: each a specific address of this node, never a wildcard or the operator one. */
    private static List<InetAddress> runnerBind(List<String> raw, InetAddress operatorBind) throws ConfigException {
        List<InetAddress> addresses = new ArrayList<>();
        for (String text : raw == null ? List.<String>of() : raw) {
            String key = "gateway.api.runner-bind";
            if (text == null || !InetAddresses.isInetAddress(text.trim())) {
                throw new ConfigException(key + ": '" + text + "' is not an IP address; write the gateway's"
                        + " runner-facing address, e.g. [10.10.0.1]");
            }
            InetAddress address = InetAddresses.forString(text.trim());
            if (address.isAnyLocalAddress()) {
                throw new ConfigException(key + ": " + text + " would open the API on every address; name the"
                        + " runner-facing address itself");
            }
            if (address.equals(operatorBind) || addresses.contains(address)) {
                throw new ConfigException(key + ": " + text + " is listed twice (or is gateway.api.bind)");
            }
            addresses.add(address);
        }
        return List.copyOf(addresses);
    }

    private static Cluster cluster(RawCluster c, Api api, Located at) throws ConfigException {
        if (c == null) {
            c = new RawCluster(null, null, null, null, null, null);
        }
        String bind = c.bind() == null ? "127.0.0.1" : c.bind().trim();
        if (!InetAddresses.isInetAddress(bind) || InetAddresses.forString(bind).isAnyLocalAddress()) {
            throw new ConfigException(at.line("cluster", c.bind()) + "cluster.bind: '" + c.bind() + "' is not a"
                    + " specific IP address; write the node's address on the cluster network, e.g. 10.0.0.5 (never a"
                    + " wildcard, never a runner-facing one)");
        }
        InetAddress address = InetAddresses.forString(bind);
        if (api.runnerBind().contains(address)) {
            throw new ConfigException(at.line("cluster", c.bind()) + "cluster.bind: " + bind + " is also in"
                    + " gateway.api.runner-bind; the cluster member must never listen where runners can reach it");
        }
        int port = port("cluster.port", c.port(), 5701);
        List<InetSocketAddress> members = new ArrayList<>();
        for (String entry : c.members() == null ? List.<String>of() : c.members()) {
            String where = at.line("cluster", entry);
            InetSocketAddress member;
            try {
                member = SocketAddressText.parse("cluster.members", entry == null ? "" : entry, port);
            } catch (ConfigException e) {
                throw new ConfigException(where + e.getMessage());
            }
            if (member.getAddress().isAnyLocalAddress() || member.getAddress().isMulticastAddress()) {
                throw new ConfigException(where + "cluster.members: '" + entry + "' is not one node's address; list"
                        + " each peer's cluster-network address, e.g. [10.0.0.5:5701, 10.0.0.6:5701]");
            }
            if (members.contains(member)) {
                throw new ConfigException(where + "cluster.members: '" + entry + "' is listed twice");
            }
            if (api.runnerBind().contains(member.getAddress())) {
                throw new ConfigException(where + "cluster.members: '" + entry + "' is a runner-facing address"
                        + " (gateway.api.runner-bind); peers talk over the cluster network only");
            }
            if (address.isLoopbackAddress() && !member.getAddress().isLoopbackAddress()) {
                throw new ConfigException(at.line("cluster", c.bind()) + "cluster.bind is " + bind + " (loopback),"
                        + " so peer " + entry + " cannot reach this node; set cluster.bind to the node's address on"
                        + " the cluster network");
            }
            members.add(member);
        }
        int backups = c.backupCount() == null ? 1 : c.backupCount();
        if (backups < 0 || backups > 6) {
            throw new ConfigException(at.line("cluster", "backup-count") + "cluster.backup-count: " + backups
                    + " is not between 0 and 6; 1 (the default) keeps every job, binding and policy when one node is"
                    + " lost");
        }
        Duration bindingWait = duration("cluster.binding-wait", c.bindingWait(), DEFAULT_BINDING_WAIT);
        if (bindingWait.compareTo(Duration.ofMillis(10)) < 0 || bindingWait.compareTo(Duration.ofSeconds(5)) > 0) {
            throw new ConfigException(at.line("cluster", "binding-wait") + "cluster.binding-wait: " + c.bindingWait()
                    + " is not between 10ms and 5s; it bounds how long a DNS answer and a connection's decision wait"
                    + " for the cluster (a connection whose binding has not arrived by then is blocked)");
        }
        return new Cluster(address, port, members, backups, aws(c.aws(), members, at), bindingWait);
    }

    private static AwsDiscovery aws(RawAws a, List<InetSocketAddress> members, Located at) throws ConfigException {
        if (a == null) {
            return null;
        }
        String where = at.line("cluster", "aws");
        if (!members.isEmpty()) {
            throw new ConfigException(where + "cluster.aws and cluster.members exclude each other: list the peers or"
                    + " let AWS discovery find them, not both");
        }
        if ((a.tagKey() == null) != (a.tagValue() == null)) {
            throw new ConfigException(where + "cluster.aws needs tag-key and tag-value together, e.g. {tag-key:"
                    + " tollgate-cluster, tag-value: prod}");
        }
        if (a.tagKey() == null && a.securityGroupName() == null) {
            throw new ConfigException(where + "cluster.aws needs tag-key/tag-value or security-group-name, so a node"
                    + " joins only the gateway instances and not every instance in the region");
        }
        return new AwsDiscovery(a.region(), a.tagKey(), a.tagValue(), a.securityGroupName(), a.iamRole());
    }

    /** Finds where a value sits in the file, so a semantic error can name its line like a syntax error does. */
    private record Located(String source, String yaml) {
        /** "{source} line N: " for the first line after the top-level {@code section} containing {@code text}. */
        String line(String section, String text) {
            String[] lines = yaml.split("\n", -1);
            int start = -1;
            for (int i = 0; i < lines.length; i++) {
                if (lines[i].startsWith(section + ":")) {
                    start = i;
                    break;
                }
            }
            if (start >= 0 && text != null && !text.isBlank()) {
                for (int i = start; i < lines.length; i++) {
                    if (i > start && !lines[i].isEmpty() && !Character.isWhitespace(lines[i].charAt(0))
                            && !lines[i].startsWith("-")) {
                        break;
                    }
                    if (lines[i].contains(text.trim())) {
                        return source + " line " + (i + 1) + ": ";
                    }
                }
            }
            return start >= 0 ? source + " line " + (start + 1) + ": " : source + ": ";
        }
    }

    private static List<ApiToken> apiTokens(List<RawApiToken> raw) throws ConfigException {
        List<ApiToken> tokens = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (int i = 0; i < (raw == null ? 0 : raw.size()); i++) {
            RawApiToken t = raw.get(i);
            String key = "gateway.api.tokens[" + i + "]";
            if (t == null || t.name() == null || t.name().isBlank()) {
                throw new ConfigException(key + ": name is missing; name each token (it appears in the API's log)");
            }
            if (!names.add(t.name())) {
                throw new ConfigException(key + ": the name '" + t.name() + "' is used twice; names must be unique");
            }
            if (t.role() == null) {
                throw new ConfigException(key + " (" + t.name()
                        + "): role is missing; one of admin | registrar | reader | agent");
            }
            if (t.tokenFile() == null || t.tokenFile().isBlank()) {
                throw new ConfigException(key + " (" + t.name() + "): token-file is missing; put the secret in a file"
                        + " readable only by the gateway and name it here");
            }
            tokens.add(new ApiToken(t.name(), choice(key + ".role", t.role(), null, ApiRole.class),
                    Path.of(t.tokenFile())));
        }
        return List.copyOf(tokens);
    }

    private static ApiTls apiTls(RawApiTls raw) throws ConfigException {
        if (raw == null) {
            return null;
        }
        if (raw.cert() == null || raw.key() == null) {
            throw new ConfigException("gateway.api.tls needs both cert and key (PEM files), e.g."
                    + " {cert: /etc/tollgate/api.crt, key: /etc/tollgate/api.key}");
        }
        return new ApiTls(Path.of(raw.cert()), Path.of(raw.key()));
    }

    private static List<InetSocketAddress> upstreamDns(List<String> entries) throws ConfigException {
        List<InetSocketAddress> servers = new ArrayList<>();
        for (String entry : entries == null ? List.<String>of() : entries) {
            servers.add(SocketAddressText.parse("gateway.upstream-dns", entry, 53));
        }
        return List.copyOf(servers);
    }

    private static Dns dns(RawDns d) throws ConfigException {
        if (d == null) {
            d = new RawDns(null, null, null, null, null, null);
        }
        Dns dns = new Dns(
                duration("gateway.dns.binding-grace", d.bindingGrace(), Duration.ofMinutes(5)),
                duration("gateway.dns.min-ttl", d.minTtl(), Duration.ofSeconds(30)),
                duration("gateway.dns.max-ttl", d.maxTtl(), Duration.ofHours(1)),
                positive("gateway.dns.queries-per-second", d.queriesPerSecond(), 200),
                positive("gateway.dns.burst", d.burst(), 400),
                duration("gateway.dns.upstream-timeout", d.upstreamTimeout(), Duration.ofSeconds(2)));
        if (dns.minTtl().compareTo(dns.maxTtl()) > 0) {
            throw new ConfigException("gateway.dns.min-ttl (" + d.minTtl() + ") is longer than gateway.dns.max-ttl ("
                    + d.maxTtl() + ")");
        }
        return dns;
    }

    private static Attribution attribution(RawAttribution a) throws ConfigException {
        Duration wait = duration("gateway.attribution.wait", a == null ? null : a.joinWait(), Duration.ofMillis(250));
        Duration ttl = duration("gateway.attribution.ttl", a == null ? null : a.ttl(), Duration.ofMinutes(2));
        if (wait.compareTo(Duration.ofSeconds(10)) > 0) {
            throw new ConfigException("gateway.attribution.wait is " + wait + "; at most 10s (events wait that long)");
        }
        if (ttl.compareTo(Duration.ofSeconds(10)) < 0) {
            throw new ConfigException("gateway.attribution.ttl is " + ttl + "; at least 10s, or attributions expire"
                    + " before the join sees them");
        }
        return new Attribution(wait, ttl);
    }

    private static Duration duration(String key, String text, Duration fallback) throws ConfigException {
        return text == null ? fallback : DurationText.parse(key, text);
    }

    private static int positive(String key, Integer value, int fallback) throws ConfigException {
        int n = value == null ? fallback : value;
        if (n < 1) {
            throw new ConfigException(key + " must be at least 1, got " + n);
        }
        return n;
    }

    private static List<PolicySpec> policies(List<RawPolicy> raw) throws ConfigException {
        if (raw == null) {
            return List.of();
        }
        List<PolicySpec> specs = new ArrayList<>();
        Map<String, Integer> seen = new LinkedHashMap<>();
        for (int i = 0; i < raw.size(); i++) {
            RawPolicy p = raw.get(i);
            String name = p.name() == null ? "policy-" + (i + 1) : p.name();
            if (seen.put(name, i) != null) {
                throw new ConfigException("policies: the name '" + name + "' is used twice; names must be unique");
            }
            if (p.sources() == null || p.sources().isEmpty()) {
                throw new ConfigException("policy '" + name + "': sources is missing; list the runner CIDRs it applies to");
            }
            specs.add(new PolicySpec(name, List.copyOf(p.sources()),
                    p.egressPolicy() == null ? "block" : p.egressPolicy(),
                    endpointsText(name, p.allowedEndpoints()),
                    p.allowedCidrs() == null ? List.of() : List.copyOf(p.allowedCidrs())));
        }
        return List.copyOf(specs);
    }

    private static String endpointsText(String policy, JsonNode node) throws ConfigException {
        if (node == null || node.isNull()) {
            return "";
        }
        if (node.isTextual()) {
            return node.asText();
        }
        if (node.isArray()) {
            List<String> lines = new ArrayList<>();
            for (JsonNode item : node) {
                if (!item.isTextual()) {
                    throw new ConfigException("policy '" + policy + "': allowed-endpoints entries must be strings, got " + item);
                }
                lines.add(item.asText());
            }
            return String.join("\n", lines);
        }
        throw new ConfigException("policy '" + policy + "': allowed-endpoints must be a block of text or a list");
    }

    private static Ioc ioc(RawIoc raw) {
        if (raw == null) {
            return new Ioc(List.of(), List.of(), List.of(), PublicDohResolvers.defaults());
        }
        return new Ioc(
                raw.domains() == null ? List.of() : List.copyOf(raw.domains()),
                raw.ips() == null ? List.of() : List.copyOf(raw.ips()),
                raw.feeds() == null ? List.of() : raw.feeds().stream().map(Path::of).toList(),
                raw.dohResolvers() == null ? PublicDohResolvers.defaults() : List.copyOf(raw.dohResolvers()));
    }

    private static int port(String key, Integer value, int fallback) throws ConfigException {
        int port = value == null ? fallback : value;
        if (port < 1 || port > 65535) {
            throw new ConfigException(key + ": " + port + " is not a TCP/UDP port (1-65535)");
        }
        return port;
    }

    private static <E extends Enum<E>> E choice(String key, String value, E fallback, Class<E> type) throws ConfigException {
        if (value == null) {
            return fallback;
        }
        try {
            return Enum.valueOf(type, value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            List<String> options = new ArrayList<>();
            for (E option : type.getEnumConstants()) {
                options.add(option.name().toLowerCase(Locale.ROOT));
            }
            throw new ConfigException(key + ": '" + value + "' is not one of " + String.join(" | ", options));
        }
    }

    private static String where(String source, JsonLocation location) {
        return location == null ? source + ": " : source + " line " + location.getLineNr() + ": ";
    }

    /** Jackson reports the parser's position after the key; the operator wants the line the key is written on. */
    private static String whereKey(String source, String yaml, String key, JsonLocation fallback) {
        Pattern keyLine = Pattern.compile("(^|[\\s{,])\"?" + Pattern.quote(key) + "\"?\\s*:");
        String[] lines = yaml.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            if (keyLine.matcher(lines[i]).find()) {
                return source + " line " + (i + 1) + ": ";
            }
        }
        return where(source, fallback);
    }

    private static String pathOf(JsonMappingException e) {
        String path = e.getPath().stream()
                .map(ref -> ref.getFieldName() != null ? ref.getFieldName() : "[" + ref.getIndex() + "]")
                .collect(Collectors.joining(".")).replace(".[", "[");
        return path.isEmpty() ? "" : " at " + path;
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "gateway";
        }
    }
}
