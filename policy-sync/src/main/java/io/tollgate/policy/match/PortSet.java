package io.tollgate.policy.match;

import java.util.Arrays;
import java.util.Collection;

/** An immutable set of ports, or "any port". */
final class PortSet {
    /** Query value meaning "is any port in the set?". */
    static final int ANY_QUERY = -1;
    static final PortSet EMPTY = new PortSet(new int[0], false);
    static final PortSet ANY = new PortSet(new int[0], true);

    private final int[] sorted;
    private final boolean any;

    private PortSet(int[] sorted, boolean any) {
        this.sorted = sorted;
        this.any = any;
    }

    static PortSet of(Collection<Integer> ports) {
        if (ports.isEmpty()) {
            return EMPTY;
        }
        return new PortSet(ports.stream().mapToInt(Integer::intValue).distinct().sorted().toArray(), false);
    }

    PortSet union(PortSet other) {
        if (any || other.any) {
            return ANY;
        }
        int[] merged = new int[sorted.length + other.sorted.length];
        System.arraycopy(sorted, 0, merged, 0, sorted.length);
        System.arraycopy(other.sorted, 0, merged, sorted.length, other.sorted.length);
        return new PortSet(Arrays.stream(merged).distinct().sorted().toArray(), false);
    }

    /** True for a port in the set, or for {@link #ANY_QUERY} when the set is not empty. */
    boolean admits(int port) {
        if (any) {
            return true;
        }
        if (port == ANY_QUERY) {
            return sorted.length > 0;
        }
        if (sorted.length <= 8) {
            for (int p : sorted) {
                if (p == port) {
                    return true;
                }
            }
            return false;
        }
        return Arrays.binarySearch(sorted, port) >= 0;
    }

    boolean isEmpty() {
        return !any && sorted.length == 0;
    }

    /** Number of entries this set stands for; "any" counts as one. */
    int count() {
        return any ? 1 : sorted.length;
    }
}
