package io.tollgate.policy.store;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import io.tollgate.policy.PolicyException;
import io.tollgate.policy.document.PolicyDocument;
import io.tollgate.policy.document.PolicyDocumentParser;
import io.tollgate.policy.scope.Scope;
import io.tollgate.policy.sign.PolicyVerifier;
import io.tollgate.policy.store.PolicyRejected.Kind;
import io.tollgate.policy.store.PolicyRevision.Action;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * The central policy store, held in the cluster map {@value #MAP} (document name → every revision). Every change is
 * validated (parsed and compiled), checked against the signing key when one is configured, given the next version
 * number, and recorded with its author, time and changes. Changes are serialized cluster-wide by one lock, so two
 * documents can never claim one scope. Calls wait on the cluster: never call them from an event loop.
 */
public final class PolicyStore {
    public static final String MAP = "tollgate.policies";
    /** A key no document can have (names are [a-z0-9._-]), locked while a change is checked and written. */
    private static final String CHANGE_LOCK = "*change*";
    private static final long LOCK_LEASE_SECONDS = 30;
    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9._-]{0,62}");

    private final IMap<String, PolicyHistory> histories;
    private final PolicyDocumentParser parser;
    private final Optional<PolicyVerifier> verifier;
    private final Clock clock;
    /**
     * The scope of each document's latest revision, by name and version, as this node last parsed it: parsing every
     * other document on every push was most of a push's time. A new version of a document is parsed again.
     */
    private final Map<String, KnownScope> scopes = new ConcurrentHashMap<>();

    private record KnownScope(int version, Optional<Scope> scope) {}

    public PolicyStore(HazelcastInstance hazelcast, PolicyDocumentParser parser, Optional<PolicyVerifier> verifier,
            Clock clock) {
        this.histories = hazelcast.getMap(MAP);
        this.parser = parser;
        this.verifier = verifier;
        this.clock = clock;
    }

    /** A change the store accepted: the new revision, the document now in force and what the operator should know. */
    public record Accepted(PolicyRevision revision, PolicyDocument document, List<String> warnings) {}

    /** Parses, compiles and checks the signature of a document without storing it. */
    public PolicyDocument validate(String name, String text, String signature) throws PolicyRejected {
        requireName(name);
        PolicyDocument document = parse("policy '" + name + "'", text);
        if (!document.name().equals(name)) {
            throw new PolicyRejected(Kind.INVALID, "the document is named '" + document.name() + "' but was sent as '"
                    + name + "'; push it under its own name");
        }
        checkSignature(name, text, signature);
        return document;
    }

    /** Creates or replaces the document {@code name}. */
    public Accepted put(String name, String text, String signature, String author) throws PolicyRejected {
        PolicyDocument document = validate(name, text, signature);
        return underLock(() -> {
            Optional<PolicyHistory> history = Optional.ofNullable(histories.get(name));
            requireFreeScope(document);
            Optional<PolicyDocument> before = history.flatMap(PolicyHistory::current).flatMap(this::parseQuietly);
            List<String> changes = PolicyDiff.between(before, document);
            PolicyRevision revision = new PolicyRevision(name, history.map(PolicyHistory::nextVersion).orElse(1),
                    Action.PUT, text, signature, author, clock.instant(), 0, changes);
            histories.set(name, history.map(h -> h.append(revision)).orElseGet(() -> PolicyHistory.first(revision)));
            return new Accepted(revision, document, document.warnings());
        });
    }

    /** Puts the text of {@code version} back in force as a new version. */
    public Accepted rollback(String name, int version, String author) throws PolicyRejected {
        requireName(name);
        return underLock(() -> {
            PolicyHistory history = existing(name);
            PolicyRevision target = history.version(version).orElseThrow(() -> new PolicyRejected(Kind.NOT_FOUND,
                    "policy '" + name + "' has versions 1 to " + history.revisions().size() + ", not " + version));
            if (target.deleted()) {
                throw new PolicyRejected(Kind.INVALID, "version " + version + " of policy '" + name
                        + "' is a deletion; roll back to a version that has a document");
            }
            PolicyDocument document = validate(name, target.text(), target.signature());
            requireFreeScope(document);
            Optional<PolicyDocument> before = history.current().flatMap(this::parseQuietly);
            List<String> changes = new ArrayList<>(List.of("rollback to version " + version));
            changes.addAll(PolicyDiff.between(before, document));
            PolicyRevision revision = new PolicyRevision(name, history.nextVersion(), Action.ROLLBACK, target.text(),
                    target.signature(), author, clock.instant(), version, changes);
            histories.set(name, history.append(revision));
            return new Accepted(revision, document, document.warnings());
        });
    }

    /** Withdraws the document; its scope falls back to the next wider one. The history stays. */
    public PolicyRevision delete(String name, String author) throws PolicyRejected {
        requireName(name);
        return underLock(() -> {
            PolicyHistory history = existing(name);
            PolicyRevision current = history.current().orElseThrow(() -> new PolicyRejected(Kind.NOT_FOUND,
                    "policy '" + name + "' is already deleted (version " + history.latest().version() + ")"));
            List<String> changes = parseQuietly(current).map(PolicyDiff::deleted).orElse(List.of("deleted"));
            PolicyRevision revision = new PolicyRevision(name, history.nextVersion(), Action.DELETE, null, null,
                    author, clock.instant(), 0, changes);
            histories.set(name, history.append(revision));
            return revision;
        });
    }

    public Map<String, PolicyHistory> histories() {
        return new HashMap<>(histories);
    }

    public Optional<PolicyHistory> history(String name) {
        return NAME.matcher(name).matches() ? Optional.ofNullable(histories.get(name)) : Optional.empty();
    }

    /**
     * Brings histories read from a node's disk into the cluster after a restart: a document the cluster lacks is
     * added; one whose cluster history is an older prefix of the disk's is extended. A history that diverged (both
     * sides have revisions the other lacks) keeps the cluster's, and is returned so the caller can report it.
     */
    public List<String> restore(Map<String, PolicyHistory> fromDisk) {
        List<String> diverged = new ArrayList<>();
        histories.lock(CHANGE_LOCK, LOCK_LEASE_SECONDS, TimeUnit.SECONDS);
        try {
            for (Map.Entry<String, PolicyHistory> entry : fromDisk.entrySet()) {
                PolicyHistory inCluster = histories.get(entry.getKey());
                if (inCluster == null || (inCluster.isPrefixOf(entry.getValue())
                        && inCluster.revisions().size() < entry.getValue().revisions().size())) {
                    histories.set(entry.getKey(), entry.getValue());
                } else if (!entry.getValue().isPrefixOf(inCluster)) {
                    diverged.add(entry.getKey());
                }
            }
        } finally {
            histories.unlock(CHANGE_LOCK);
        }
        return diverged;
    }

    private void requireFreeScope(PolicyDocument document) throws PolicyRejected {
        for (Map.Entry<String, PolicyHistory> other : histories.entrySet()) {
            if (other.getKey().equals(document.name())) {
                continue;
            }
            if (currentScope(other.getKey(), other.getValue()).filter(document.scope()::equals).isPresent()) {
                throw new PolicyRejected(Kind.CONFLICT, "scope " + document.scope().label() + " already has policy '"
                        + other.getKey() + "'; edit that document, or delete it before giving the scope to '"
                        + document.name() + "'");
            }
        }
    }

    private Optional<Scope> currentScope(String name, PolicyHistory history) {
        int version = history.latest().version();
        KnownScope known = scopes.get(name);
        if (known == null || known.version() != version) {
            known = new KnownScope(version,
                    history.current().flatMap(this::parseQuietly).map(PolicyDocument::scope));
            scopes.put(name, known);
        }
        return known.scope();
    }

    private void checkSignature(String name, String text, String signature) throws PolicyRejected {
        if (verifier.isEmpty()) {
            return;
        }
        if (signature == null || signature.isBlank()) {
            throw new PolicyRejected(Kind.UNSIGNED, "policy '" + name + "' is not signed, and this cluster accepts"
                    + " only policy signed with key " + verifier.get().keyId() + "; push it with"
                    + " 'tollgate policy push --key <private key>'");
        }
        if (!verifier.get().verifies(text, signature)) {
            throw new PolicyRejected(Kind.BAD_SIGNATURE, "the signature of policy '" + name + "' does not verify with"
                    + " key " + verifier.get().keyId() + ": it was signed with another key or the text changed after"
                    + " signing");
        }
    }

    private PolicyDocument parse(String source, String text) throws PolicyRejected {
        try {
            return parser.parse(source, text);
        } catch (PolicyException e) {
            throw new PolicyRejected(Kind.INVALID, e.getMessage());
        }
    }

    private Optional<PolicyDocument> parseQuietly(PolicyRevision revision) {
        try {
            return Optional.of(parser.parse(revision.name(), revision.text()));
        } catch (PolicyException e) {
            return Optional.empty();
        }
    }

    private PolicyHistory existing(String name) throws PolicyRejected {
        PolicyHistory history = histories.get(name);
        if (history == null) {
            throw new PolicyRejected(Kind.NOT_FOUND, "no policy named '" + name + "'");
        }
        return history;
    }

    private static void requireName(String name) throws PolicyRejected {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new PolicyRejected(Kind.INVALID, "'" + name + "' is not a policy name: 1-63 lower-case letters,"
                    + " digits, '.', '_' or '-'");
        }
    }

    private <T> T underLock(Change<T> change) throws PolicyRejected {
        histories.lock(CHANGE_LOCK, LOCK_LEASE_SECONDS, TimeUnit.SECONDS);
        try {
            return change.apply();
        } finally {
            histories.unlock(CHANGE_LOCK);
        }
    }

    @FunctionalInterface
    private interface Change<T> {
        T apply() throws PolicyRejected;
    }
}
