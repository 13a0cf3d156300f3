package io.tollgate.policy.match;

import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Host patterns in a trie of reversed labels ({@code com -> github -> api}). Each node holds the ports of the exact
 * name it spells, the ports of {@code *.name} (any depth below it), and the in-label globs of one more label
 * ({@code productionresultssa*} under {@code net.windows.core.blob}, indexed by literal prefix). A lookup walks
 * the name's labels from the right once: O(labels), no allocation. Immutable.
 */
final class HostTrie {
    private final Node root;
    private final int size;

    private HostTrie(Node root, int size) {
        this.root = root;
        this.size = size;
    }

    /** Number of distinct (pattern, port) entries. */
    int size() {
        return size;
    }

    /**
     * True when normalized name {@code name} matches a pattern for {@code port}, or for any port when
     * {@code port} is {@link PortSet#ANY_QUERY}.
     */
    boolean matches(String name, int port) {
        Node node = root;
        int labelEnd = name.length();
        while (true) {
            int dot = name.lastIndexOf('.', labelEnd - 1);
            int labelStart = dot + 1;
            if (labelStart == labelEnd) {
                return false;
            }
            if (node.below.admits(port)) {
                return true;
            }
            boolean leftmost = dot < 0;
            if (leftmost && node.globs.matches(name, labelStart, labelEnd, port)) {
                return true;
            }
            Node child = node.children.get(name, labelStart, labelEnd);
            if (child == null) {
                return false;
            }
            if (leftmost) {
                return child.exact.admits(port);
            }
            node = child;
            labelEnd = dot;
        }
    }

    private static final class Node {
        final LabelTable<Node> children;
        final PortSet exact;
        final PortSet below;
        final GlobIndex globs;

        Node(LabelTable<Node> children, PortSet exact, PortSet below, GlobIndex globs) {
            this.children = children;
            this.exact = exact;
            this.below = below;
            this.globs = globs;
        }
    }

    /** Collects normalized patterns (as produced by the endpoint parser), then freezes them into a trie. */
    static final class Builder {
        private final MutableNode root = new MutableNode();
        private int size;

        /** Adds {@code pattern} for {@code port}; a repeated pair is counted once. */
        Builder add(String pattern, int port) {
            String[] labels = pattern.split("\\.");
            MutableNode node = root;
            for (int i = labels.length - 1; i > 0; i--) {
                node = node.children.computeIfAbsent(labels[i], label -> new MutableNode());
            }
            String leftmost = labels[0];
            TreeSet<Integer> ports;
            if (leftmost.equals("*")) {
                ports = node.below;
            } else if (leftmost.contains("*")) {
                ports = node.globs.computeIfAbsent(leftmost, glob -> new TreeSet<>());
            } else {
                ports = node.children.computeIfAbsent(leftmost, label -> new MutableNode()).exact;
            }
            if (ports.add(port)) {
                size++;
            }
            return this;
        }

        HostTrie build() {
            return new HostTrie(root.freeze(), size);
        }
    }

    private static final class MutableNode {
        final Map<String, MutableNode> children = new HashMap<>();
        final TreeSet<Integer> exact = new TreeSet<>();
        final TreeSet<Integer> below = new TreeSet<>();
        final Map<String, TreeSet<Integer>> globs = new TreeMap<>();

        Node freeze() {
            Map<String, Node> frozen = new HashMap<>();
            children.forEach((label, child) -> frozen.put(label, child.freeze()));
            Map<String, PortSet> globPorts = new HashMap<>();
            globs.forEach((pattern, ports) -> globPorts.put(pattern, PortSet.of(ports)));
            return new Node(LabelTable.of(frozen), PortSet.of(exact), PortSet.of(below), GlobIndex.of(globPorts));
        }
    }
}
