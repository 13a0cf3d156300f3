package io.tollgate.agent.bpf;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** One ring-buffer record, decoded from the layouts in {@code src/main/bpf/records.h}. */
public sealed interface KernelRecord {
    int EXEC = 1;
    int FORK = 2;
    int EXIT = 3;
    int CONNECT = 4;
    int TLS_WRITE = 5;
    int TLS_SOCKET = 6;
    int LIBRARY_OPEN = 7;
    int UDP_SEND = 8;
    int H2_FRAME = 9;

    /** A process replaced its image: {@code args} are its argv (bounded to 511 bytes). */
    record Exec(int pid, int ppid, long startNanos, long cgroupId, String filename, List<String> args)
            implements KernelRecord {}

    record Fork(int pid, int ppid, long startNanos) implements KernelRecord {}

    record Exit(int pid) implements KernelRecord {}

    /** An outbound TCP connection left SYN_SENT; {@code established} is false when it failed. */
    record Connect(int pid, int ppid, boolean established, Tuple tuple) implements KernelRecord {}

    /**
     * The start of one TLS write in plaintext ({@code data} bounded, {@code totalLength} is what was written);
     * {@code h2Tail}, for a write longer than {@code data} on an HTTP/2 session, is where its frames stood at its end.
     */
    record TlsWrite(int pid, long session, long totalLength, TlsLibrary library, byte[] data, H2Tail h2Tail)
            implements KernelRecord {
        public TlsWrite(int pid, long session, long totalLength, TlsLibrary library, byte[] data) {
            this(pid, session, totalLength, library, data, null);
        }
    }

    /**
     * The kernel side's walk of the frames of an HTTP/2 write past its capture: {@code lost} when a header block
     * (HEADERS or CONTINUATION) lay there (the HPACK state is gone), otherwise the write ended {@code toHeader} bytes
     * before the next frame header, or inside one whose first bytes are {@code partialHeader}.
     */
    record H2Tail(boolean lost, long toHeader, byte[] partialHeader) {}

    /** The socket a TLS session writes to. */
    record TlsSocket(int pid, long session, Tuple tuple) implements KernelRecord {}

    /** A whole HEADERS or CONTINUATION frame that lay past the capture of the session's write just before. */
    record H2Frame(int pid, long session, byte[] frame) implements KernelRecord {}

    /** A process sent a datagram on the UDP flow {@code tuple} (reported once per flow and minute). */
    record UdpSend(int pid, int ppid, Tuple tuple) implements KernelRecord {}

    /**
     * A process opened a TLS library file not yet known to the kernel side ({@code path} as it passed it to openat;
     * {@code device} and {@code inode} as the kernel numbers the file).
     */
    record LibraryOpen(int pid, String path, int device, long inode) implements KernelRecord {}

    enum TlsLibrary { OPENSSL, GNUTLS }

    /** Decodes one record; {@code null} for a type this agent does not know. */
    static KernelRecord decode(ByteBuffer b) {
        int type = b.getInt(0);
        return switch (type) {
            case EXEC -> new Exec(b.getInt(4), b.getInt(8), b.getLong(16), b.getLong(24), cString(b, 32, 256),
                    args(b, 288, Math.min(b.getInt(12), 511)));
            case FORK -> new Fork(b.getInt(4), b.getInt(8), b.getLong(16));
            case EXIT -> new Exit(b.getInt(4));
            case CONNECT -> new Connect(b.getInt(4), b.getInt(8), b.getInt(12) != 0, tuple(b, 16));
            case TLS_WRITE -> {
                int captured = Math.min(b.getInt(24), b.limit() - 48);
                byte[] data = new byte[Math.max(captured, 0)];
                b.get(48, data);
                yield new TlsWrite(b.getInt(4), b.getLong(8), b.getLong(16),
                        b.get(28) == 2 ? TlsLibrary.GNUTLS : TlsLibrary.OPENSSL, data, h2Tail(b));
            }
            case TLS_SOCKET -> new TlsSocket(b.getInt(4), b.getLong(8), tuple(b, 16));
            case LIBRARY_OPEN -> new LibraryOpen(b.getInt(4), cString(b, 8, 256), b.getInt(264), b.getLong(272));
            case UDP_SEND -> new UdpSend(b.getInt(4), b.getInt(8), tuple(b, 16));
            case H2_FRAME -> {
                byte[] frame = new byte[Math.max(0, Math.min(b.getInt(16), b.limit() - 24))];
                b.get(24, frame);
                yield new H2Frame(b.getInt(4), b.getLong(8), frame);
            }
            default -> null;
        };
    }

    private static H2Tail h2Tail(ByteBuffer b) {
        int state = b.get(29);
        if (state == 0) {
            return null;
        }
        byte[] partial = new byte[Math.min(b.get(30), 8)];
        b.get(40, partial);
        return new H2Tail(state != 1, Integer.toUnsignedLong(b.getInt(32)), partial);
    }

    private static Tuple tuple(ByteBuffer b, int at) {
        int family = Short.toUnsignedInt(b.getShort(at));
        int protocol = Short.toUnsignedInt(b.getShort(at + 2));
        int sport = Short.toUnsignedInt(b.getShort(at + 4));
        int dport = Short.toUnsignedInt(b.getShort(at + 6));
        int length = family == 10 ? 16 : 4;
        return new Tuple(protocol == 17 ? "udp" : "tcp", address(b, at + 8, length), sport,
                address(b, at + 24, length), dport);
    }

    private static InetAddress address(ByteBuffer b, int at, int length) {
        byte[] raw = new byte[length];
        b.get(at, raw);
        try {
            return InetAddress.getByAddress(raw);
        } catch (UnknownHostException e) {
            throw new IllegalStateException("4 or 16 bytes are always an address", e);
        }
    }

    private static String cString(ByteBuffer b, int at, int max) {
        int end = at;
        while (end < at + max && b.get(end) != 0) {
            end++;
        }
        byte[] raw = new byte[end - at];
        b.get(at, raw);
        return new String(raw, StandardCharsets.UTF_8);
    }

    private static List<String> args(ByteBuffer b, int at, int length) {
        List<String> args = new ArrayList<>();
        int start = at;
        for (int i = at; i < at + length; i++) {
            if (b.get(i) == 0) {
                args.add(text(b, start, i));
                start = i + 1;
            }
        }
        if (start < at + length) {
            args.add(text(b, start, at + length)); // cut at the bound
        }
        return List.copyOf(args);
    }

    private static String text(ByteBuffer b, int from, int to) {
        byte[] raw = new byte[to - from];
        b.get(from, raw);
        return new String(raw, StandardCharsets.UTF_8);
    }
}
