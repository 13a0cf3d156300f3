package io.tollgate.policy.document;

import io.tollgate.policy.CompiledPolicy;
import io.tollgate.policy.scope.Scope;
import java.util.List;

/**
 * One document of the policy store, as parsed from its YAML {@code text}: a named policy attached to a scope.
 * {@code entries} are its allowed endpoints in normalized form, sorted (named sets expanded), for listings and diffs.
 * {@code warnings} are things an operator should know that do not make the document invalid.
 */
public record PolicyDocument(String name, Scope scope, String description, CompiledPolicy policy, Lockdown lockdown,
        List<String> entries, String text, List<String> warnings) {

    public PolicyDocument {
        entries = List.copyOf(entries);
        warnings = List.copyOf(warnings);
    }
}
