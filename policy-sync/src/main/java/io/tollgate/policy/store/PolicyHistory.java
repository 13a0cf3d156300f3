package io.tollgate.policy.store;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Every revision of one policy document, oldest first; version n is at index n - 1. Immutable. */
public record PolicyHistory(List<PolicyRevision> revisions) implements Serializable {

    public PolicyHistory {
        revisions = List.copyOf(revisions);
        if (revisions.isEmpty()) {
            throw new IllegalArgumentException("a history has at least one revision");
        }
    }

    public static PolicyHistory first(PolicyRevision revision) {
        return new PolicyHistory(List.of(revision));
    }

    public PolicyRevision latest() {
        return revisions.getLast();
    }

    /** The revision in force, unless the document was deleted. */
    public Optional<PolicyRevision> current() {
        return latest().deleted() ? Optional.empty() : Optional.of(latest());
    }

    public Optional<PolicyRevision> version(int version) {
        return version >= 1 && version <= revisions.size() ? Optional.of(revisions.get(version - 1)) : Optional.empty();
    }

    public int nextVersion() {
        return revisions.size() + 1;
    }

    public PolicyHistory append(PolicyRevision revision) {
        List<PolicyRevision> longer = new ArrayList<>(revisions);
        longer.add(revision);
        return new PolicyHistory(longer);
    }

    /** Whether {@code other} is this history with zero or more revisions appended. */
    public boolean isPrefixOf(PolicyHistory other) {
        return other.revisions.size() >= revisions.size()
                && other.revisions.subList(0, revisions.size()).equals(revisions);
    }
}
