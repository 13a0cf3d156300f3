package io.tollgate.gateway.cli;

import io.tollgate.gateway.config.ConfigException;
import io.tollgate.gateway.config.ConfigLoader;
import io.tollgate.gateway.node.PolicyLoader;
import io.tollgate.policy.PolicyException;
import io.tollgate.policy.document.PolicyDocument;
import io.tollgate.policy.document.PolicyDocumentParser;
import io.tollgate.policy.endpoint.EndpointSets;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** Reads policy documents from files and checks them the way the store will, with the same endpoint sets. */
final class PolicyFiles {
    private final PolicyDocumentParser parser;

    private PolicyFiles(PolicyDocumentParser parser) {
        this.parser = parser;
    }

    /** {@code gatewayConfig} supplies endpoint-set overrides; without it the shipped sets are used. */
    static PolicyFiles using(Path gatewayConfig) throws CliException {
        if (gatewayConfig == null) {
            return new PolicyFiles(new PolicyDocumentParser(EndpointSets.defaults()));
        }
        try {
            return new PolicyFiles(new PolicyDocumentParser(PolicyLoader.load(ConfigLoader.load(gatewayConfig))
                    .sets()));
        } catch (ConfigException | PolicyException e) {
            throw new CliException(gatewayConfig + ": " + e.getMessage());
        }
    }

    static String read(Path file) throws CliException {
        try {
            return Files.readString(file);
        } catch (NoSuchFileException e) {
            throw new CliException(file + " does not exist");
        } catch (IOException e) {
            throw new CliException("cannot read " + file + ": " + e.getMessage());
        }
    }

    PolicyDocument parse(Path file, String text) throws CliException {
        return parse(file.toString(), text);
    }

    PolicyDocument parse(String source, String text) throws CliException {
        try {
            return parser.parse(source, text);
        } catch (PolicyException e) {
            throw new CliException(e.getMessage());
        }
    }
}
