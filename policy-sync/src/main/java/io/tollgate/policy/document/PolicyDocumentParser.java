package io.tollgate.policy.document;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.tollgate.policy.CompiledPolicy;
import io.tollgate.policy.PolicyCompiler;
import io.tollgate.policy.PolicyException;
import io.tollgate.policy.PolicySpec;
import io.tollgate.policy.endpoint.EndpointList;
import io.tollgate.policy.endpoint.EndpointParser;
import io.tollgate.policy.endpoint.EndpointSets;
import io.tollgate.policy.scope.Scope;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Reads a policy document of the policy store:
 * <pre>
 * name: widgets-ci
 * scope: {repo: acme/widgets, workflow: CI}      # cluster | {org} | {repo} | {repo, workflow} | {repo, workflow, job}
 * egress-policy: block
 * allowed-endpoints: |
 *   github.com:443
 * allowed-cidrs: [10.0.0.0/8:5432]
 * lockdown-mode: {enabled: true, detections: [Reverse-Shell]}
 * </pre>
 * Every error names the document and the line in it.
 */
public final class PolicyDocumentParser {
    private static final YAMLFactory YAML = YAMLFactory.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();
    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9._-]{0,62}");
    private static final Pattern OWNER = Pattern.compile("[A-Za-z0-9_.-]{1,100}");
    private static final Pattern REPO = Pattern.compile("[A-Za-z0-9_.-]{1,100}/[A-Za-z0-9_.-]{1,100}");
    private static final List<String> KEYS = List.of("name", "scope", "description", "egress-policy",
            "allowed-endpoints", "allowed-cidrs", "lockdown-mode");
    /** Harden-Runner options that act on the runner host itself, which a network gateway cannot enforce. */
    private static final List<String> HOST_OPTIONS = List.of("disable-sudo", "disable-sudo-and-containers",
            "disable-file-monitoring", "disable-telemetry", "policy");

    private final EndpointSets sets;
    private final PolicyCompiler compiler;

    public PolicyDocumentParser(EndpointSets sets) {
        this.sets = sets;
        this.compiler = new PolicyCompiler(sets);
    }

    /**
     * @param source what the text is called in errors, e.g. a file name or {@code policy 'widgets-ci'}
     */
    public PolicyDocument parse(String source, String text) throws PolicyException {
        Fields fields = new Fields(source);
        try (JsonParser parser = YAML.createParser(text)) {
            JsonToken first = parser.nextToken();
            if (first == null) {
                throw new PolicyException(source + ": the document is empty; a policy needs at least name and scope");
            }
            if (first != JsonToken.START_OBJECT) {
                throw fields.error(parser, "a policy document is a mapping of " + String.join(", ", KEYS));
            }
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String key = parser.currentName();
                int keyLine = line(parser);
                parser.nextToken();
                fields.read(key, keyLine, parser, text);
            }
        } catch (JsonProcessingException e) {
            throw new PolicyException(source, line(e.getLocation()), "", "not valid YAML: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new PolicyException(source + ": cannot be read: " + e.getMessage());
        }
        return fields.document(compiler, sets, text);
    }

    private static int line(JsonParser parser) {
        return line(parser.currentTokenLocation());
    }

    private static int line(JsonLocation location) {
        return location == null ? 0 : location.getLineNr();
    }

    /** The top-level keys as read, with the lines needed to report errors inside them. */
    private static final class Fields {
        private final String source;
        private final Map<String, Integer> lines = new LinkedHashMap<>();
        private String name;
        private Scope scope;
        private String description;
        private String mode;
        private String endpoints;
        private int endpointsFirstLine;
        private final List<String> cidrs = new ArrayList<>();
        private final List<Integer> cidrLines = new ArrayList<>();
        private Lockdown lockdown = Lockdown.OFF;

        Fields(String source) {
            this.source = source;
        }

        void read(String key, int keyLine, JsonParser parser, String text) throws IOException, PolicyException {
            lines.put(key, keyLine);
            switch (key) {
                case "name" -> name = scalar(parser, key);
                case "description" -> description = scalar(parser, key);
                case "scope" -> scope = scope(parser);
                case "egress-policy" -> mode = scalar(parser, key);
                case "allowed-endpoints" -> {
                    endpoints = scalar(parser, key);
                    endpointsFirstLine = firstContentLine(parser, text);
                }
                case "allowed-cidrs" -> readCidrs(parser);
                case "lockdown-mode" -> lockdown = lockdown(parser);
                default -> {
                    if (HOST_OPTIONS.contains(key)) {
                        throw new PolicyException(source, keyLine, key, "a Harden-Runner option for the runner host;"
                                + " Tollgate is a network gateway and does not enforce it, so remove it rather than"
                                + " rely on it");
                    }
                    throw new PolicyException(source, keyLine, key, "unknown key; known keys: "
                            + String.join(", ", KEYS));
                }
            }
        }

        PolicyDocument document(PolicyCompiler compiler, EndpointSets sets, String text) throws PolicyException {
            if (name == null) {
                throw new PolicyException(source + ": name is missing; give the document a name such as widgets-ci");
            }
            if (!NAME.matcher(name).matches()) {
                throw new PolicyException(source, lines.get("name"), name, "a name is 1-63 lower-case letters,"
                        + " digits, '.', '_' or '-', starting with a letter or digit");
            }
            if (scope == null) {
                throw new PolicyException(source + ": scope is missing; write 'scope: cluster' or a mapping such"
                        + " as 'scope: {repo: acme/widgets}'");
            }
            CompiledPolicy policy;
            try {
                policy = compiler.compile(new PolicySpec(name, List.of(), mode, endpoints == null ? "" : endpoints,
                        List.copyOf(cidrs)));
            } catch (PolicyException e) {
                throw relocate(e);
            }
            List<String> warnings = new ArrayList<>();
            if (lockdown.enabled()) {
                warnings.add("lockdown-mode is stored but not enforced yet: Tollgate's runtime detections"
                        + " (agent-lite) do not stop jobs in this version");
            }
            if (endpoints == null && cidrs.isEmpty() && policy.mode().name().equals("BLOCK")) {
                warnings.add("the document allows no endpoint: every connection of the jobs in "
                        + scope.label() + " is blocked");
            }
            EndpointList parsed = EndpointParser.parse(source, endpoints == null ? "" : endpoints, sets);
            List<String> entries = new ArrayList<>();
            parsed.hosts().forEach(host -> entries.add(host.toString()));
            parsed.cidrs().forEach(cidr -> entries.add(cidr.toString()));
            for (String cidr : cidrs) {
                entries.add(EndpointParser.parseCidr(source, cidr).toString());
            }
            return new PolicyDocument(name, scope, description, policy, lockdown,
                    entries.stream().distinct().sorted().toList(), text, warnings);
        }

        /** Moves an error the compiler reports inside allowed-endpoints or allowed-cidrs to the document's line. */
        private PolicyException relocate(PolicyException e) {
            if (e.source().endsWith("allowed-cidrs") && cidrs.contains(e.entry())) {
                return new PolicyException(source + " allowed-cidrs", cidrLines.get(cidrs.indexOf(e.entry())),
                        e.entry(), e.reason());
            }
            if (e.source().endsWith("allowed-endpoints") && e.line() > 0) {
                return new PolicyException(source + " allowed-endpoints", endpointsFirstLine + e.line() - 1,
                        e.entry(), e.reason());
            }
            if (e.source().endsWith("egress-policy")) {
                return new PolicyException(source + " egress-policy", lines.getOrDefault("egress-policy", 0),
                        e.entry(), e.reason());
            }
            return new PolicyException(source + ": " + e.getMessage());
        }

        private String scalar(JsonParser parser, String key) throws IOException, PolicyException {
            JsonToken token = parser.currentToken();
            if (!token.isScalarValue() || token == JsonToken.VALUE_NULL) {
                throw error(parser, key + " must be a single value");
            }
            return parser.getText();
        }

        private Scope scope(JsonParser parser) throws IOException, PolicyException {
            int at = line(parser);
            if (parser.currentToken() == JsonToken.VALUE_STRING) {
                String text = parser.getText().strip();
                if (text.equals("cluster")) {
                    return Scope.Cluster.INSTANCE;
                }
                throw new PolicyException(source + " scope", at, text, "write 'cluster', or a mapping such as"
                        + " {org: acme}, {repo: acme/widgets}, {repo: acme/widgets, workflow: CI} or"
                        + " {repo: acme/widgets, workflow: CI, job: build}");
            }
            if (parser.currentToken() != JsonToken.START_OBJECT) {
                throw error(parser, "scope must be 'cluster' or a mapping with org, repo, workflow, job");
            }
            Map<String, String> parts = new LinkedHashMap<>();
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String key = parser.currentName();
                parser.nextToken();
                if (!List.of("org", "repo", "workflow", "job").contains(key)) {
                    throw error(parser, "scope has no key '" + key + "'; use org, repo, workflow and job");
                }
                String value = scalar(parser, "scope " + key).strip();
                if (value.isEmpty() || value.length() > 256 || value.chars().anyMatch(Character::isISOControl)) {
                    throw error(parser, "scope " + key + " must be 1-256 printable characters");
                }
                parts.put(key, value);
            }
            return scopeOf(parts, at);
        }

        private Scope scopeOf(Map<String, String> parts, int at) throws PolicyException {
            String org = parts.get("org");
            String repo = parts.get("repo");
            String workflow = parts.get("workflow");
            String job = parts.get("job");
            String where = source + " scope";
            if (org != null) {
                if (parts.size() > 1) {
                    throw new PolicyException(where, at, "", "org stands alone: a repo already names its owner,"
                            + " so write either {org: ...} or {repo: owner/name, ...}");
                }
                if (!OWNER.matcher(org).matches()) {
                    throw new PolicyException(where, at, org, "not a GitHub owner name");
                }
                return new Scope.Org(org);
            }
            if (repo == null) {
                throw new PolicyException(where, at, "", "workflow and job scopes need the repo as well, e.g."
                        + " {repo: acme/widgets, workflow: CI}");
            }
            if (!REPO.matcher(repo).matches()) {
                throw new PolicyException(where, at, repo, "not owner/name (GITHUB_REPOSITORY)");
            }
            if (job != null && workflow == null) {
                throw new PolicyException(where, at, job, "a job scope needs its workflow too (job names repeat"
                        + " across workflows)");
            }
            if (job != null) {
                return new Scope.JobName(repo, workflow, job);
            }
            return workflow != null ? new Scope.Workflow(repo, workflow) : new Scope.Repo(repo);
        }

        private void readCidrs(JsonParser parser) throws IOException, PolicyException {
            if (parser.currentToken() != JsonToken.START_ARRAY) {
                throw error(parser, "allowed-cidrs must be a list, e.g. [10.0.0.0/8:5432]");
            }
            while (parser.nextToken() != JsonToken.END_ARRAY) {
                cidrLines.add(line(parser));
                cidrs.add(scalar(parser, "each allowed-cidrs entry"));
            }
        }

        private Lockdown lockdown(JsonParser parser) throws IOException, PolicyException {
            if (parser.currentToken() != JsonToken.START_OBJECT) {
                throw error(parser, "lockdown-mode must be a mapping: {enabled: true, detections: [...]}");
            }
            boolean enabled = false;
            List<String> detections = new ArrayList<>();
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String key = parser.currentName();
                parser.nextToken();
                switch (key) {
                    case "enabled" -> {
                        if (!parser.currentToken().isBoolean()) {
                            throw error(parser, "lockdown-mode enabled must be true or false");
                        }
                        enabled = parser.getBooleanValue();
                    }
                    case "detections" -> {
                        if (parser.currentToken() != JsonToken.START_ARRAY) {
                            throw error(parser, "lockdown-mode detections must be a list");
                        }
                        while (parser.nextToken() != JsonToken.END_ARRAY) {
                            detections.add(detection(parser));
                        }
                    }
                    default -> throw error(parser, "lockdown-mode has no key '" + key
                            + "'; use enabled and detections");
                }
            }
            return new Lockdown(enabled, detections);
        }

        private String detection(JsonParser parser) throws IOException, PolicyException {
            String text = scalar(parser, "a lockdown-mode detection");
            for (String known : Lockdown.KNOWN) {
                if (known.equalsIgnoreCase(text)) {
                    return known;
                }
            }
            throw new PolicyException(source + " lockdown-mode", line(parser), text, "unknown detection; known: "
                    + String.join(", ", Lockdown.KNOWN));
        }

        /** The document line of the first line of a scalar: a block scalar ('|', '>') starts on the next line. */
        private static int firstContentLine(JsonParser parser, String text) {
            JsonLocation at = parser.currentTokenLocation();
            String[] docLines = text.split("\\R", -1);
            int line = at.getLineNr();
            if (line >= 1 && line <= docLines.length) {
                String rest = docLines[line - 1].substring(Math.min(docLines[line - 1].length(),
                        Math.max(0, at.getColumnNr() - 1))).stripLeading();
                if (rest.startsWith("|") || rest.startsWith(">")) {
                    return line + 1;
                }
            }
            return line;
        }

        PolicyException error(JsonParser parser, String reason) {
            return new PolicyException(source, line(parser), "", reason);
        }
    }
}
