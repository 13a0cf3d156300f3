package io.tollgate.policy.match;

import io.tollgate.policy.Cidr;
import java.net.InetAddress;
import java.util.function.BinaryOperator;

/**
 * Values keyed by IPv4 and IPv6 networks in binary tries (one bit per level), for longest-prefix and
 * any-covering-prefix lookups in at most 32 or 128 steps. Immutable once built.
 *
 * @param <V> the value stored per network
 */
public final class CidrTrie<V> {
    private final Node<V> v4;
    private final Node<V> v6;
    private final int size;

    private CidrTrie(Node<V> v4, Node<V> v6, int size) {
        this.v4 = v4;
        this.v6 = v6;
        this.size = size;
    }

    public static <V> Builder<V> builder() {
        return new Builder<>();
    }

    /** Number of distinct networks. */
    public int size() {
        return size;
    }

    /** The value of the most specific network containing {@code address}, or null. */
    public V longestMatch(InetAddress address) {
        byte[] bits = address.getAddress();
        Node<V> node = bits.length == 4 ? v4 : v6;
        V best = null;
        int depth = 0;
        while (node != null) {
            if (node.value != null) {
                best = node.value;
            }
            if (depth == bits.length * 8) {
                break;
            }
            node = bit(bits, depth++) == 0 ? node.zero : node.one;
        }
        return best;
    }

    /** True when some network containing {@code address} has a value for which {@code test} holds with {@code argument}. */
    public boolean anyMatch(InetAddress address, int argument, ValueTest<V> test) {
        byte[] bits = address.getAddress();
        Node<V> node = bits.length == 4 ? v4 : v6;
        int depth = 0;
        while (node != null) {
            if (node.value != null && test.test(node.value, argument)) {
                return true;
            }
            if (depth == bits.length * 8) {
                return false;
            }
            node = bit(bits, depth++) == 0 ? node.zero : node.one;
        }
        return false;
    }

    private static int bit(byte[] bits, int index) {
        return (bits[index >>> 3] >>> (7 - (index & 7))) & 1;
    }

    /** A test of a stored value against an int argument (a port), without capturing state. */
    @FunctionalInterface
    public interface ValueTest<V> {
        boolean test(V value, int argument);
    }

    private record Node<V>(Node<V> zero, Node<V> one, V value) {
    }

    /** Collects networks; {@code merge} combines the values of a network added twice. */
    public static final class Builder<V> {
        private final MutableNode<V> v4 = new MutableNode<>();
        private final MutableNode<V> v6 = new MutableNode<>();
        private int size;

        private Builder() {
        }

        public Builder<V> put(Cidr cidr, V value, BinaryOperator<V> merge) {
            byte[] bits = cidr.network().getAddress();
            MutableNode<V> node = bits.length == 4 ? v4 : v6;
            for (int depth = 0; depth < cidr.prefixLength(); depth++) {
                if (bit(bits, depth) == 0) {
                    node = node.zero == null ? (node.zero = new MutableNode<>()) : node.zero;
                } else {
                    node = node.one == null ? (node.one = new MutableNode<>()) : node.one;
                }
            }
            if (node.value == null) {
                node.value = value;
                size++;
            } else {
                node.value = merge.apply(node.value, value);
            }
            return this;
        }

        /** The value already stored for exactly this network, or null. */
        public V get(Cidr cidr) {
            byte[] bits = cidr.network().getAddress();
            MutableNode<V> node = bits.length == 4 ? v4 : v6;
            for (int depth = 0; depth < cidr.prefixLength() && node != null; depth++) {
                node = bit(bits, depth) == 0 ? node.zero : node.one;
            }
            return node == null ? null : node.value;
        }

        public CidrTrie<V> build() {
            return new CidrTrie<>(v4.freeze(), v6.freeze(), size);
        }
    }

    private static final class MutableNode<V> {
        MutableNode<V> zero;
        MutableNode<V> one;
        V value;

        Node<V> freeze() {
            return new Node<>(zero == null ? null : zero.freeze(), one == null ? null : one.freeze(), value);
        }
    }
}
