package io.tollgate.dns.testing;

import io.tollgate.policy.CompiledPolicy;
import io.tollgate.policy.PolicyCompiler;
import io.tollgate.policy.PolicyException;
import io.tollgate.policy.PolicySpec;
import io.tollgate.policy.PolicyTable;
import io.tollgate.policy.endpoint.EndpointSets;
import io.tollgate.policy.ioc.IocList;
import java.util.List;

/** Compiled policies and IOC lists for tests, from the same text an operator writes. */
public final class Policies {
    private Policies() {}

    public static CompiledPolicy compile(String name, String source, String mode, String endpoints) {
        try {
            return new PolicyCompiler(EndpointSets.defaults())
                    .compile(new PolicySpec(name, List.of(source), mode, endpoints, List.of()));
        } catch (PolicyException e) {
            throw new IllegalArgumentException(e);
        }
    }

    public static PolicyTable table(CompiledPolicy... policies) {
        try {
            return PolicyTable.of(List.of(policies));
        } catch (PolicyException e) {
            throw new IllegalArgumentException(e);
        }
    }

    public static IocList ioc(List<String> domains, List<String> ips) {
        try {
            return IocList.of(domains, ips, List.of());
        } catch (PolicyException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
