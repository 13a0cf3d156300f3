package io.tollgate.gateway.node;

import io.tollgate.gateway.config.GatewayConfig;
import io.tollgate.policy.CompiledPolicy;
import io.tollgate.policy.PolicyCompiler;
import io.tollgate.policy.PolicyException;
import io.tollgate.policy.PolicySpec;
import io.tollgate.policy.PolicyTable;
import io.tollgate.policy.endpoint.EndpointSets;
import io.tollgate.policy.ioc.CentralIoc;
import io.tollgate.policy.ioc.IocList;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Compiles what the config file says about policy: the fleet-default policies, the IOC list and the endpoint sets. */
public final class PolicyLoader {
    private PolicyLoader() {}

    /** The config's share of policy; the policy store's documents and central IOC list come on top of it. */
    public record ConfigPolicy(PolicyTable fleetDefault, IocList ioc, EndpointSets sets, GatewayConfig.Ioc iocConfig) {
        /** The config's IOC entries and feeds (read again) together with the cluster's central list. */
        public IocList iocWith(CentralIoc central) throws PolicyException {
            return configIoc(iocConfig, central);
        }
    }

    /** The config's IOC entries, public DoH resolvers and feeds (read now), with {@code central} added. */
    private static IocList configIoc(GatewayConfig.Ioc ioc, CentralIoc central) throws PolicyException {
        List<String> domains = new ArrayList<>(ioc.domains());
        domains.addAll(ioc.dohResolvers());
        domains.addAll(central.domains());
        List<String> ips = new ArrayList<>(ioc.ips());
        ips.addAll(central.ips());
        return IocList.of(domains, ips, ioc.feeds());
    }

    public static ConfigPolicy load(GatewayConfig config) throws PolicyException {
        EndpointSets sets = EndpointSets.defaults();
        for (Map.Entry<String, String> set : config.endpointSets().entrySet()) {
            sets = sets.withOverride(set.getKey(), set.getValue());
        }
        PolicyCompiler compiler = new PolicyCompiler(sets);
        List<CompiledPolicy> compiled = new ArrayList<>();
        for (PolicySpec spec : config.policies()) {
            compiled.add(compiler.compile(spec));
        }
        return new ConfigPolicy(PolicyTable.of(compiled), configIoc(config.ioc(), CentralIoc.empty()), sets,
                config.ioc());
    }
}
