package io.tollgate.policy;

import com.google.common.net.InetAddresses;
import java.net.InetAddress;
import java.util.Objects;

/** An IPv4 or IPv6 network: an address whose bits beyond {@code prefixLength} are zero. */
public record Cidr(InetAddress network, int prefixLength) {

    public Cidr {
        Objects.requireNonNull(network, "network");
        int bits = network.getAddress().length * 8;
        if (prefixLength < 0 || prefixLength > bits) {
            throw new IllegalArgumentException("prefix length " + prefixLength + " outside 0.." + bits);
        }
        if (!toAddress(mask(network.getAddress(), prefixLength)).equals(network)) {
            throw new IllegalArgumentException("host bits set in " + network.getHostAddress() + "/" + prefixLength);
        }
    }

    /**
     * Parses {@code 10.0.0.0/8}, {@code 2001:db8::/32}, or a bare address (a /32 or /128 network).
     * Never resolves names. Host bits beyond the prefix must be zero.
     */
    public static Cidr parse(String text) throws PolicyException {
        if (text == null || text.isBlank()) {
            throw new PolicyException("empty CIDR; write an address and prefix such as 10.0.0.0/8");
        }
        String trimmed = text.strip();
        int slash = trimmed.indexOf('/');
        String addressText = slash < 0 ? trimmed : trimmed.substring(0, slash);
        if (!InetAddresses.isInetAddress(addressText)) {
            throw new PolicyException("'" + addressText + "' is not an IPv4 or IPv6 address");
        }
        InetAddress address = InetAddresses.forString(addressText);
        int bits = address.getAddress().length * 8;
        int prefix = slash < 0 ? bits : parsePrefix(trimmed.substring(slash + 1), bits);
        byte[] masked = mask(address.getAddress(), prefix);
        InetAddress network = toAddress(masked);
        if (!network.equals(address)) {
            String suggestion = InetAddresses.toAddrString(network) + "/" + prefix;
            throw new PolicyException("host bits set: '" + trimmed + "' has bits beyond the /" + prefix
                    + " prefix; did you mean " + suggestion + "?");
        }
        return new Cidr(network, prefix);
    }

    private static int parsePrefix(String text, int bits) throws PolicyException {
        if (text.isEmpty() || text.length() > 3 || !text.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new PolicyException("prefix length '" + text + "' is not a number 0.." + bits);
        }
        int prefix = Integer.parseInt(text);
        if (prefix > bits) {
            throw new PolicyException("prefix length /" + prefix + " exceeds " + bits + " bits");
        }
        return prefix;
    }

    private static byte[] mask(byte[] address, int prefix) {
        byte[] masked = address.clone();
        for (int i = 0; i < masked.length; i++) {
            int keep = Math.clamp(prefix - i * 8L, 0, 8);
            masked[i] &= (byte) (0xff << (8 - keep));
        }
        return masked;
    }

    private static InetAddress toAddress(byte[] bytes) {
        try {
            return InetAddress.getByAddress(bytes);
        } catch (java.net.UnknownHostException e) {
            throw new IllegalStateException("address of " + bytes.length + " bytes", e);
        }
    }

    /** True when {@code address} is of the same family and lies inside this network. */
    public boolean contains(InetAddress address) {
        byte[] candidate = address.getAddress();
        byte[] net = network.getAddress();
        if (candidate.length != net.length) {
            return false;
        }
        int fullBytes = prefixLength / 8;
        for (int i = 0; i < fullBytes; i++) {
            if (candidate[i] != net[i]) {
                return false;
            }
        }
        int rest = prefixLength % 8;
        if (rest == 0) {
            return true;
        }
        int mask = 0xff << (8 - rest) & 0xff;
        return (candidate[fullBytes] & mask) == (net[fullBytes] & mask);
    }

    /** {@code 10.0.0.0/8} or {@code 2001:db8::/32}. */
    @Override
    public String toString() {
        return InetAddresses.toAddrString(network) + "/" + prefixLength;
    }
}
