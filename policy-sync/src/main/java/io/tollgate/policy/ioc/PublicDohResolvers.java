package io.tollgate.policy.ioc;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The shipped list of public DNS-over-HTTPS/TLS resolver names. A job that talks to one resolves names the gateway
 * never sees, so by default they join the IOC list (the list covers their subdomains like any IOC domain).
 */
public final class PublicDohResolvers {
    private static final String RESOURCE = "public-doh-resolvers.txt";

    private PublicDohResolvers() {}

    public static List<String> defaults() {
        try (InputStream in = PublicDohResolvers.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("resource " + RESOURCE + " is missing from the policy-sync jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines()
                    .map(String::strip)
                    .filter(line -> !line.isEmpty() && !line.startsWith("#"))
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + RESOURCE, e);
        }
    }
}
