package io.tollgate.policy.store;

import io.tollgate.policy.document.Lockdown;
import io.tollgate.policy.document.PolicyDocument;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.TreeSet;

/** What a new version of a document changes, one line per change, for the audit log and {@code tollgate policy diff}. */
public final class PolicyDiff {
    private PolicyDiff() {}

    public static List<String> between(Optional<PolicyDocument> before, PolicyDocument after) {
        if (before.isEmpty()) {
            return List.of("new document: scope " + after.scope().label() + ", egress-policy " + mode(after) + ", "
                    + after.entries().size() + " endpoints");
        }
        PolicyDocument old = before.get();
        List<String> changes = new ArrayList<>();
        if (!old.scope().equals(after.scope())) {
            changes.add("scope: " + old.scope().label() + " -> " + after.scope().label());
        }
        if (old.policy().mode() != after.policy().mode()) {
            changes.add("egress-policy: " + mode(old) + " -> " + mode(after));
        }
        TreeSet<String> removed = new TreeSet<>(old.entries());
        removed.removeAll(after.entries());
        TreeSet<String> added = new TreeSet<>(after.entries());
        added.removeAll(old.entries());
        added.forEach(entry -> changes.add("+ " + entry));
        removed.forEach(entry -> changes.add("- " + entry));
        if (!old.lockdown().equals(after.lockdown())) {
            changes.add("lockdown-mode: " + lockdown(old.lockdown()) + " -> " + lockdown(after.lockdown()));
        }
        if (changes.isEmpty() && !old.text().equals(after.text())) {
            changes.add("text only (comments, description or formatting); the policy is the same");
        }
        return changes;
    }

    public static List<String> deleted(PolicyDocument old) {
        return List.of("deleted: scope " + old.scope().label() + " falls back to the next wider scope");
    }

    private static String mode(PolicyDocument document) {
        return document.policy().mode().name().toLowerCase(Locale.ROOT);
    }

    private static String lockdown(Lockdown lockdown) {
        return lockdown.enabled() ? String.join(", ", lockdown.detections()) : "off";
    }
}
