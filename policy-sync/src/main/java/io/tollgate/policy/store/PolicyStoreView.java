package io.tollgate.policy.store;

import com.hazelcast.core.EntryEvent;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import com.hazelcast.map.listener.EntryAddedListener;
import com.hazelcast.map.listener.EntryUpdatedListener;
import io.tollgate.policy.CompiledPolicy;
import io.tollgate.policy.PolicyException;
import io.tollgate.policy.document.PolicyDocument;
import io.tollgate.policy.document.PolicyDocumentParser;
import io.tollgate.policy.scope.Scope;
import io.tollgate.policy.scope.ScopedPolicies;
import io.tollgate.policy.sign.PolicyVerifier;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This node's copy of the policy store: follows {@value PolicyStore#MAP} with an entry listener, writes every new
 * revision to the node's {@link PolicyArchive}, recompiles the documents in force and hands the result to the data
 * path as one immutable {@link ScopedPolicies}, so decisions never wait on the cluster. A revision that fails to
 * compile or to verify here (a key change, an edited archive) is not applied: the document's last good revision stays
 * in force and the error is logged. Documents are never dropped silently.
 */
public final class PolicyStoreView implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PolicyStoreView.class);

    private final IMap<String, PolicyHistory> map;
    private final PolicyDocumentParser parser;
    private final Optional<PolicyVerifier> verifier;
    private final PolicyArchive archive;
    private final Consumer<Applied> onChange;
    private final Map<String, PolicyDocument> inForce = new HashMap<>();
    private final Map<String, Integer> versions = new HashMap<>();
    private UUID listener;

    /** The documents now in force, and the revisions this change applied. */
    public record Applied(ScopedPolicies policies, Map<String, Integer> versions, List<PolicyRevision> revisions) {}

    private PolicyStoreView(HazelcastInstance hazelcast, PolicyDocumentParser parser,
            Optional<PolicyVerifier> verifier, PolicyArchive archive, Consumer<Applied> onChange) {
        this.map = hazelcast.getMap(PolicyStore.MAP);
        this.parser = parser;
        this.verifier = verifier;
        this.archive = archive;
        this.onChange = onChange;
    }

    /** Starts following the store, first applying every document already in it. */
    public static PolicyStoreView follow(HazelcastInstance hazelcast, PolicyDocumentParser parser,
            Optional<PolicyVerifier> verifier, PolicyArchive archive, Consumer<Applied> onChange) {
        PolicyStoreView view = new PolicyStoreView(hazelcast, parser, verifier, archive, onChange);
        view.listener = view.map.addEntryListener(view.new Listener(), true);
        List<PolicyHistory> existing = new ArrayList<>(view.map.values());
        view.apply(existing);
        return view;
    }

    private synchronized void apply(List<PolicyHistory> histories) {
        List<PolicyRevision> applied = new ArrayList<>();
        for (PolicyHistory history : histories) {
            save(history);
            PolicyRevision latest = history.latest();
            if (versions.getOrDefault(latest.name(), 0) >= latest.version()) {
                continue;
            }
            if (latest.deleted()) {
                inForce.remove(latest.name());
                versions.put(latest.name(), latest.version());
                applied.add(latest);
                continue;
            }
            Optional<PolicyDocument> document = compile(latest);
            if (document.isPresent()) {
                inForce.put(latest.name(), document.get());
                versions.put(latest.name(), latest.version());
                applied.add(latest);
            }
        }
        if (!applied.isEmpty()) {
            onChange.accept(new Applied(scoped(), Map.copyOf(versions), List.copyOf(applied)));
        }
    }

    private ScopedPolicies scoped() {
        Map<Scope, CompiledPolicy> byScope = new HashMap<>();
        for (PolicyDocument document : inForce.values()) {
            CompiledPolicy other = byScope.putIfAbsent(document.scope(), document.policy());
            if (other != null) {
                // The store refuses this; two nodes' archives merged after a split could still produce it.
                LOG.error("policies '{}' and '{}' both claim scope {}; '{}' is applied, delete one of them",
                        other.name(), document.name(), document.scope().label(), other.name());
            }
        }
        return ScopedPolicies.of(byScope);
    }

    private Optional<PolicyDocument> compile(PolicyRevision revision) {
        if (verifier.isPresent() && (revision.signature() == null
                || !verifier.get().verifies(revision.text(), revision.signature()))) {
            LOG.error("policy '{}' version {} (by {}) is not signed with key {}; it is not applied and the previous"
                            + " version stays in force. Push it again signed with the fleet's key", revision.name(),
                    revision.version(), revision.author(), verifier.get().keyId());
            return Optional.empty();
        }
        try {
            return Optional.of(parser.parse("policy '" + revision.name() + "'", revision.text()));
        } catch (PolicyException e) {
            LOG.error("policy '{}' version {} does not compile on this node: {}; the previous version stays in"
                    + " force", revision.name(), revision.version(), e.getMessage());
            return Optional.empty();
        }
    }

    private void save(PolicyHistory history) {
        try {
            archive.save(history);
        } catch (IOException e) {
            LOG.error("cannot write policy '{}' to {}: {}; this node would lose it on a full-cluster restart. Fix the"
                    + " directory (gateway.policy-store.dir)", history.latest().name(), archive.dir(), e.toString());
        }
    }

    @Override
    public void close() {
        if (listener != null) {
            try {
                map.removeEntryListener(listener);
            } catch (RuntimeException e) {
                LOG.debug("policy listener already gone: {}", e.toString());
            }
        }
    }

    private final class Listener implements EntryAddedListener<String, PolicyHistory>,
            EntryUpdatedListener<String, PolicyHistory> {
        @Override
        public void entryAdded(EntryEvent<String, PolicyHistory> event) {
            apply(List.of(event.getValue()));
        }

        @Override
        public void entryUpdated(EntryEvent<String, PolicyHistory> event) {
            apply(List.of(event.getValue()));
        }
    }
}
