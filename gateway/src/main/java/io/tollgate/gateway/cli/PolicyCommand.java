package io.tollgate.gateway.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tollgate.policy.document.PolicyDocument;
import io.tollgate.policy.sign.PolicySigner;
import io.tollgate.policy.sign.SigningException;
import io.tollgate.policy.sign.SigningKeys;
import io.tollgate.policy.store.PolicyDiff;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code tollgate policy ...}: check, sign, push and inspect the documents of the central policy store. */
@Command(name = "policy", mixinStandardHelpOptions = true,
        description = "Validate, push, diff and manage policy documents in the cluster's policy store.",
        subcommands = {PolicyCommand.Validate.class, PolicyCommand.Push.class, PolicyCommand.Diff.class,
                PolicyCommand.ListDocuments.class, PolicyCommand.History.class, PolicyCommand.Rollback.class,
                PolicyCommand.Delete.class, PolicyCommand.Keygen.class})
final class PolicyCommand implements Runnable {
    private static final ObjectMapper JSON = new ObjectMapper();

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    @Command(name = "validate", mixinStandardHelpOptions = true,
            description = "Check documents offline: YAML, scope, endpoints, with the line of every error.")
    static final class Validate implements Callable<Integer> {
        @Parameters(paramLabel = "FILE", arity = "1..*", description = "policy documents")
        List<Path> files;

        @Option(names = "--config", description = "a gateway config whose endpoint-sets overrides apply")
        Path config;

        @Override
        public Integer call() {
            return CliAction.exitCode(() -> {
                PolicyFiles policies = PolicyFiles.using(config);
                int invalid = 0;
                for (Path file : files) {
                    try {
                        PolicyDocument document = policies.parse(file, PolicyFiles.read(file));
                        System.out.println(file + ": ok, policy '" + document.name() + "' for "
                                + document.scope().label() + ", egress-policy "
                                + document.policy().mode().name().toLowerCase(Locale.ROOT) + ", "
                                + document.entries().size() + " endpoints");
                        document.warnings().forEach(w -> System.out.println(file + ": warning: " + w));
                    } catch (CliException e) {
                        System.err.println(e.getMessage());
                        invalid++;
                    }
                }
                if (invalid > 0) {
                    throw new CliException(invalid + " of " + files.size() + " documents are invalid");
                }
            });
        }
    }

    @Command(name = "push", mixinStandardHelpOptions = true,
            description = "Store documents in the cluster (signed with --key), each as its next version.")
    static final class Push implements Callable<Integer> {
        @Parameters(paramLabel = "FILE", arity = "1..*", description = "policy documents")
        List<Path> files;

        @Option(names = "--key", defaultValue = "${env:TOLLGATE_POLICY_KEY}",
                description = "Ed25519 private key (PEM) to sign with (env TOLLGATE_POLICY_KEY)")
        Path key;

        @Option(names = "--dry-run", description = "let the cluster validate without storing")
        boolean dryRun;

        @Mixin
        ApiOptions api;

        @Override
        public Integer call() {
            return CliAction.exitCode(() -> {
                Optional<PolicySigner> signer = signer(key);
                ApiClient client = api.connect();
                PolicyFiles policies = PolicyFiles.using(null);
                for (Path file : files) {
                    String text = PolicyFiles.read(file);
                    String name = policies.parse(file, text).name();
                    ObjectNode bundle = JSON.createObjectNode().put("document", text);
                    signer.ifPresent(s -> bundle.put("signature", s.sign(text)));
                    ApiClient.Reply reply = client.send("PUT", "/v1/policies/" + name + (dryRun ? "?dry-run=true" : ""),
                            bundle.toString(), Map.of());
                    if (reply.status() != 200) {
                        throw ApiError.of("pushing " + file + " (policy '" + name + "')", reply);
                    }
                    JsonNode result = reply.json();
                    if (dryRun) {
                        System.out.println(file + ": the cluster accepts policy '" + name + "' for "
                                + result.path("scope").asText());
                    } else {
                        System.out.println("policy '" + name + "' version " + result.path("version").asInt()
                                + (result.path("signed").asBoolean() ? " (signed)" : " (unsigned)") + " stored");
                        result.path("changes").forEach(c -> System.out.println("  " + c.asText()));
                    }
                    result.path("warnings").forEach(w -> System.out.println("  warning: " + w.asText()));
                }
            });
        }
    }

    @Command(name = "diff", mixinStandardHelpOptions = true,
            description = "Show what pushing documents would change against the cluster's current versions.")
    static final class Diff implements Callable<Integer> {
        @Parameters(paramLabel = "FILE", arity = "1..*", description = "policy documents")
        List<Path> files;

        @Mixin
        ApiOptions api;

        @Override
        public Integer call() {
            return CliAction.exitCode(() -> {
                ApiClient client = api.connect();
                PolicyFiles policies = PolicyFiles.using(null);
                for (Path file : files) {
                    PolicyDocument proposed = policies.parse(file, PolicyFiles.read(file));
                    ApiClient.Reply reply = client.send("GET", "/v1/policies/" + proposed.name(), null, Map.of());
                    Optional<PolicyDocument> current = Optional.empty();
                    if (reply.status() == 200 && !reply.json().path("document").isNull()) {
                        current = Optional.of(policies.parse("the cluster's policy '" + proposed.name() + "'",
                                reply.json().path("document").asText()));
                    } else if (reply.status() != 200 && reply.status() != 404) {
                        throw ApiError.of("reading policy '" + proposed.name() + "'", reply);
                    }
                    List<String> changes = PolicyDiff.between(current, proposed);
                    System.out.println("policy '" + proposed.name() + "' (" + file + ")"
                            + (current.isPresent() ? " against version " + reply.json().path("version").asInt()
                                    : "") + ":");
                    if (changes.isEmpty()) {
                        System.out.println("  no change");
                    }
                    changes.forEach(change -> System.out.println("  " + change));
                }
            });
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List the documents in the store.")
    static final class ListDocuments implements Callable<Integer> {
        @Mixin
        ApiOptions api;

        @Override
        public Integer call() {
            return CliAction.exitCode(() -> {
                JsonNode policies = api.call("listing the policies", "GET", "/v1/policies", null).path("policies");
                if (policies.isEmpty()) {
                    System.out.println("no policy documents in the store");
                }
                for (JsonNode p : policies) {
                    System.out.println(p.path("name").asText() + "  v" + p.path("version").asInt() + "  "
                            + p.path("action").asText() + " by " + p.path("author").asText() + " at "
                            + p.path("at").asText() + (p.path("signed").asBoolean() ? "  signed" : ""));
                }
            });
        }
    }

    @Command(name = "history", mixinStandardHelpOptions = true, description = "Who changed a document, when, how.")
    static final class History implements Callable<Integer> {
        @Parameters(paramLabel = "NAME")
        String name;

        @Mixin
        ApiOptions api;

        @Override
        public Integer call() {
            return CliAction.exitCode(() -> {
                JsonNode history = api.call("reading the history of policy '" + name + "'", "GET",
                        "/v1/policies/" + name + "/history", null);
                for (JsonNode r : history.path("revisions")) {
                    System.out.println("v" + r.path("version").asInt() + "  " + r.path("at").asText() + "  "
                            + r.path("author").asText() + "  " + r.path("action").asText()
                            + (r.path("signed").asBoolean() ? "  signed" : ""));
                    r.path("changes").forEach(c -> System.out.println("    " + c.asText()));
                }
            });
        }
    }

    @Command(name = "rollback", mixinStandardHelpOptions = true,
            description = "Put an earlier version back in force (as a new version).")
    static final class Rollback implements Callable<Integer> {
        @Parameters(paramLabel = "NAME")
        String name;

        @Option(names = "--to", required = true, paramLabel = "VERSION")
        int version;

        @Mixin
        ApiOptions api;

        @Override
        public Integer call() {
            return CliAction.exitCode(() -> {
                JsonNode stored = api.call("rolling back policy '" + name + "'", "POST",
                        "/v1/policies/" + name + "/rollback", JSON.createObjectNode().put("version", version).toString());
                System.out.println("policy '" + name + "' version " + version + " is back in force as version "
                        + stored.path("version").asInt());
            });
        }
    }

    @Command(name = "delete", mixinStandardHelpOptions = true,
            description = "Withdraw a document; its scope falls back to the next wider one.")
    static final class Delete implements Callable<Integer> {
        @Parameters(paramLabel = "NAME")
        String name;

        @Mixin
        ApiOptions api;

        @Override
        public Integer call() {
            return CliAction.exitCode(() -> {
                JsonNode deleted = api.call("deleting policy '" + name + "'", "DELETE", "/v1/policies/" + name,
                        null);
                System.out.println("policy '" + name + "' deleted (version " + deleted.path("version").asInt()
                        + "); its history stays");
            });
        }
    }

    @Command(name = "keygen", mixinStandardHelpOptions = true,
            description = "Create an Ed25519 signing key pair: PREFIX.key (keep it secret) and PREFIX.pub (for"
                    + " policy-store.verify-key on every node).")
    static final class Keygen implements Callable<Integer> {
        @Option(names = "--out", required = true, paramLabel = "PREFIX")
        Path prefix;

        @Override
        public Integer call() {
            return CliAction.exitCode(() -> {
                Path privateFile = Path.of(prefix + ".key");
                Path publicFile = Path.of(prefix + ".pub");
                if (Files.exists(privateFile) || Files.exists(publicFile)) {
                    throw new CliException(privateFile + " or " + publicFile + " exists already; choose another"
                            + " --out, a key is never overwritten");
                }
                try {
                    SigningKeys.generate(privateFile, publicFile);
                } catch (IOException e) {
                    throw new CliException("cannot write the key pair: " + e.getMessage());
                }
                System.out.println("wrote " + privateFile + " (private, mode 600) and " + publicFile);
            });
        }
    }

    private static Optional<PolicySigner> signer(Path key) throws CliException {
        if (key == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(PolicySigner.fromPem(key));
        } catch (SigningException e) {
            throw new CliException(e.getMessage());
        }
    }
}
