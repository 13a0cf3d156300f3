package io.tollgate.gateway.node;

import io.tollgate.gateway.config.GatewayConfig;
import io.tollgate.gateway.node.PolicyLoader.ConfigPolicy;
import io.tollgate.policy.cluster.ClusterMember;
import io.tollgate.policy.document.PolicyDocumentParser;
import io.tollgate.policy.ioc.CentralIoc;
import io.tollgate.policy.ioc.IocStore;
import io.tollgate.policy.ioc.IocView;
import io.tollgate.policy.sign.PolicyVerifier;
import io.tollgate.policy.sign.SigningException;
import io.tollgate.policy.store.PolicyArchive;
import io.tollgate.policy.store.PolicyHistory;
import io.tollgate.policy.store.PolicyStore;
import io.tollgate.policy.store.PolicyStoreView;
import java.io.IOException;
import java.time.Clock;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This node's side of the policy store and the central IOC list: reads the node's archive back into the cluster (so a
 * full-cluster restart loses nothing), then follows both so every change reaches {@link CurrentPolicy}.
 */
final class PolicyStoreService {
    private static final Logger LOG = LoggerFactory.getLogger(PolicyStoreService.class);

    private PolicyStoreService() {}

    /** The policy store and the central IOC list of the cluster. */
    record Stores(PolicyStore policies, IocStore ioc) {}

    /** Opens the stores; the views that follow them are pushed onto {@code started} so a failed start stops them. */
    static Stores open(GatewayConfig.PolicyStore settings, ConfigPolicy config, ClusterMember cluster,
            CurrentPolicy current, Deque<AutoCloseable> started) throws GatewayStartException {
        Optional<PolicyVerifier> verifier = verifier(settings);
        PolicyArchive archive = archive(settings);
        PolicyDocumentParser parser = new PolicyDocumentParser(config.sets());
        PolicyStore store = new PolicyStore(cluster.hazelcast(), parser, verifier, Clock.systemUTC());
        Map<String, PolicyHistory> onDisk = load(archive);
        List<String> diverged = store.restore(onDisk);
        for (String name : diverged) {
            LOG.warn("policy '{}' in {} differs from the cluster's history (the cluster was changed while this node"
                    + " was away); the cluster's history is kept and this node's copy is overwritten with it", name,
                    archive.dir());
        }
        PolicyStoreView view = PolicyStoreView.follow(cluster.hazelcast(), parser, verifier, archive, current::apply);
        started.push(view);
        IocStore ioc = new IocStore(cluster.hazelcast(), Clock.systemUTC());
        loadIoc(archive).ifPresent(ioc::restore);
        started.push(IocView.follow(cluster.hazelcast(), central -> {
            saveIoc(archive, central);
            current.applyIoc(central);
        }));
        LOG.info("policy store: {} documents on disk in {}, {} in the cluster; {}", onDisk.size(), archive.dir(),
                store.histories().size(), verifier.map(v -> "only policy signed with key " + v.keyId()
                        + " is accepted").orElse("unsigned policy is accepted (set policy-store.verify-key to"
                        + " require signatures)"));
        return new Stores(store, ioc);
    }

    private static Optional<CentralIoc> loadIoc(PolicyArchive archive) throws GatewayStartException {
        try {
            return archive.loadIoc();
        } catch (IOException e) {
            throw new GatewayStartException("the central IOC list in " + archive.dir() + " cannot be read back: "
                    + e.getMessage() + "; restore ioc.json from another node's copy or a backup before starting", e);
        }
    }

    private static void saveIoc(PolicyArchive archive, CentralIoc ioc) {
        try {
            archive.saveIoc(ioc);
        } catch (IOException e) {
            LOG.error("cannot write the central IOC list version {} to {}: {}; this node would lose it on a"
                    + " full-cluster restart. Fix the directory (policy-store.dir)", ioc.version(), archive.dir(),
                    e.toString());
        }
    }

    private static Optional<PolicyVerifier> verifier(GatewayConfig.PolicyStore settings)
            throws GatewayStartException {
        if (settings.verifyKey().isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(PolicyVerifier.fromPem(settings.verifyKey().get()));
        } catch (SigningException e) {
            throw new GatewayStartException("policy-store.verify-key: " + e.getMessage(), e);
        }
    }

    private static PolicyArchive archive(GatewayConfig.PolicyStore settings) throws GatewayStartException {
        try {
            return new PolicyArchive(settings.dir());
        } catch (IOException e) {
            throw new GatewayStartException("cannot use the policy store directory " + settings.dir() + ": " + e
                    + "; set policy-store.dir to a directory this node may write", e);
        }
    }

    private static Map<String, PolicyHistory> load(PolicyArchive archive) throws GatewayStartException {
        try {
            return archive.load();
        } catch (IOException | RuntimeException e) {
            throw new GatewayStartException("the policy store directory " + archive.dir() + " cannot be read back: "
                    + e.getMessage() + "; restore it from another node's copy or a backup before starting", e);
        }
    }
}
