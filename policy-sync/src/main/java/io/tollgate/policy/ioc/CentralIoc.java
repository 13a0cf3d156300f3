package io.tollgate.policy.ioc;

import java.io.Serializable;
import java.time.Instant;
import java.util.List;

/**
 * The fleet's central IOC list, kept in the cluster map {@value IocStore#MAP} next to each node's configured IOC:
 * domains and addresses/networks blocked for every job in every mode. {@code version} counts the changes;
 * {@code changes} says what the latest one did.
 */
public record CentralIoc(List<String> domains, List<String> ips, int version, String author, Instant at,
        List<String> changes) implements Serializable {

    public CentralIoc {
        domains = List.copyOf(domains);
        ips = List.copyOf(ips);
        changes = List.copyOf(changes);
    }

    public static CentralIoc empty() {
        return new CentralIoc(List.of(), List.of(), 0, "", Instant.EPOCH, List.of());
    }
}
