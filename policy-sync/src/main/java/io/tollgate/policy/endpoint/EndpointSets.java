package io.tollgate.policy.endpoint;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * Named endpoint sets that a policy includes with {@code @name}. The defaults ship as resources of this module
 * ({@code github-actions-runner}: the Actions runner's own service endpoints); an operator may replace or add a
 * set with {@link #withOverride}. Immutable.
 */
public final class EndpointSets {
    private static final String RESOURCE_DIR = "sets/";
    private static final Set<String> SHIPPED = Set.of("github-actions-runner");

    private final Map<String, String> textByName;

    private EndpointSets(Map<String, String> textByName) {
        this.textByName = Collections.unmodifiableMap(new TreeMap<>(textByName));
    }

    /** The sets shipped with Tollgate. */
    public static EndpointSets defaults() {
        Map<String, String> sets = new TreeMap<>();
        for (String name : SHIPPED) {
            sets.put(name, readResource(name));
        }
        return new EndpointSets(sets);
    }

    /** A copy in which set {@code name} has the given text (same syntax as {@code allowed-endpoints}). */
    public EndpointSets withOverride(String name, String text) {
        if (name == null || !name.matches("[a-z0-9][a-z0-9-]*")) {
            throw new IllegalArgumentException("endpoint set name '" + name + "' must be lower-case letters, digits"
                    + " and '-'");
        }
        if (text == null) {
            throw new IllegalArgumentException("endpoint set '" + name + "' has no text");
        }
        Map<String, String> sets = new TreeMap<>(textByName);
        sets.put(name, text);
        return new EndpointSets(sets);
    }

    public Optional<String> text(String name) {
        return Optional.ofNullable(textByName.get(name));
    }

    /** Known set names, sorted. */
    public Set<String> names() {
        return textByName.keySet();
    }

    private static String readResource(String name) {
        try (InputStream in = EndpointSets.class.getResourceAsStream(RESOURCE_DIR + name)) {
            if (in == null) {
                throw new IllegalStateException("endpoint set resource '" + name + "' is missing from the jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("reading endpoint set '" + name + "'", e);
        }
    }
}
