package io.tollgate.gateway.node;

import io.tollgate.gateway.config.GatewayConfig;
import io.tollgate.gateway.node.PolicyLoader.ConfigPolicy;
import io.tollgate.policy.cluster.ClusterMember;
import io.tollgate.policy.document.PolicyDocumentParser;
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
 * This node's side of the policy store: reads the node's archive back into the cluster (so a full-cluster restart
 * loses nothing), then follows the store so every change reaches {@link CurrentPolicy}.
 */
final class PolicyStoreService {
    private static final Logger LOG = LoggerFactory.getLogger(PolicyStoreService.class);

    private PolicyStoreService() {}

    /** Opens the store; the view that follows it is pushed onto {@code started} so a failed start stops it. */
    static PolicyStore open(GatewayConfig.PolicyStore settings, ConfigPolicy config, ClusterMember cluster,
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
        LOG.info("policy store: {} documents on disk in {}, {} in the cluster; {}", onDisk.size(), archive.dir(),
                store.histories().size(), verifier.map(v -> "only policy signed with key " + v.keyId()
                        + " is accepted").orElse("unsigned policy is accepted (set policy-store.verify-key to"
                        + " require signatures)"));
        return store;
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
