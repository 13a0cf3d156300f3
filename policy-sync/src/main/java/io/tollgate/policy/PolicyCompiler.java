package io.tollgate.policy;

import io.tollgate.policy.endpoint.CidrEndpoint;
import io.tollgate.policy.endpoint.EndpointList;
import io.tollgate.policy.endpoint.EndpointParser;
import io.tollgate.policy.endpoint.EndpointSets;
import io.tollgate.policy.match.EndpointMatcher;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Validates a {@link PolicySpec} and compiles it into a {@link CompiledPolicy}. Runs off the data path; the first
 * error stops compilation and names the policy, the field, the line and the entry. A missing
 * {@code egress-policy} means {@code block}.
 */
public final class PolicyCompiler {
    private final EndpointSets sets;

    public PolicyCompiler(EndpointSets sets) {
        this.sets = sets;
    }

    public CompiledPolicy compile(PolicySpec spec) throws PolicyException {
        String name = spec.name();
        if (name == null || name.isBlank()) {
            throw new PolicyException("a policy has no name; give every policy a unique name");
        }
        String where = "policy '" + name + "'";
        List<Cidr> sources = parseSources(where + " sources", orEmpty(spec.sources()));
        EgressMode mode = parseMode(where + " egress-policy", spec.egressPolicy());
        EndpointList fromText = EndpointParser.parse(where + " allowed-endpoints", spec.allowedEndpoints(), sets);
        Set<CidrEndpoint> cidrs = new LinkedHashSet<>(fromText.cidrs());
        for (String entry : orEmpty(spec.allowedCidrs())) {
            cidrs.add(EndpointParser.parseCidr(where + " allowed-cidrs", entry));
        }
        EndpointList endpoints = new EndpointList(fromText.hosts(), new ArrayList<>(cidrs));
        String version = PolicyVersion.of(name, sources, mode, endpoints);
        return new CompiledPolicy(name, version, sources, mode, EndpointMatcher.compile(endpoints));
    }

    private static List<Cidr> parseSources(String where, List<String> entries) throws PolicyException {
        Set<Cidr> sources = new LinkedHashSet<>();
        for (String entry : entries) {
            try {
                sources.add(Cidr.parse(entry));
            } catch (PolicyException e) {
                throw new PolicyException(where, 0, entry, e.reason());
            }
        }
        return List.copyOf(sources);
    }

    private static EgressMode parseMode(String where, String text) throws PolicyException {
        if (text == null) {
            return EgressMode.BLOCK;
        }
        try {
            return EgressMode.parse(text);
        } catch (PolicyException e) {
            throw new PolicyException(where, 0, text, "expected 'block' or 'audit'");
        }
    }

    private static List<String> orEmpty(List<String> list) {
        return list == null ? List.of() : list;
    }
}
