package io.tollgate.policy;

import io.tollgate.policy.endpoint.EndpointList;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;

/**
 * The version of a compiled policy: the first 12 hex characters of the SHA-256 of its normalized content (sorted,
 * de-duplicated entries with named sets expanded), so reformatting the YAML does not change it.
 */
final class PolicyVersion {
    private static final int LENGTH = 12;

    private PolicyVersion() {
    }

    static String of(String name, List<Cidr> sources, EgressMode mode, EndpointList endpoints) {
        String normalized = "name=" + name + "\n"
                + "mode=" + mode + "\n"
                + "sources=" + sortedLines(sources) + "\n"
                + "hosts=" + sortedLines(endpoints.hosts()) + "\n"
                + "cidrs=" + sortedLines(endpoints.cidrs()) + "\n";
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(normalized.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest).substring(0, LENGTH);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK provides SHA-256", e);
        }
    }

    private static String sortedLines(List<?> items) {
        return String.join(" ", items.stream().map(Objects::toString).distinct().sorted().toList());
    }
}
