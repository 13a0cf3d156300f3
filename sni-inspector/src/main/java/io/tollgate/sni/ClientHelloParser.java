package io.tollgate.sni;

import java.nio.ByteBuffer;

/**
 * Incrementally recognises a TLS ClientHello in the first bytes of a connection, including one fragmented over
 * several handshake records and delivered in arbitrarily small TCP segments. Decides as soon as the whole
 * handshake message is present. Keeps only offsets between calls, so feeding byte by byte costs O(n) overall.
 * One instance per connection; not thread-safe.
 */
public final class ClientHelloParser extends IncrementalParser {

    public static final int DEFAULT_MAX_HELLO_BYTES = 64 * 1024;

    private static final int CONTENT_TYPE_HANDSHAKE = 22;
    private static final int HANDSHAKE_CLIENT_HELLO = 1;
    private static final int SSL2_CLIENT_HELLO = 1;
    private static final int RECORD_HEADER = 5;
    private static final int HANDSHAKE_HEADER = 4;
    private static final int MAX_RECORD_PAYLOAD = 1 << 14;

    private final int maxHelloBytes;
    /** Offset (from the buffer's position) of the first record not yet fully seen. */
    private int nextRecord;
    /** Handshake bytes carried by the records before {@link #nextRecord}. */
    private int handshakeBytesBefore;
    /** Length of the ClientHello body once its header has arrived, else -1. */
    private int bodyLength = -1;

    public ClientHelloParser() {
        this(DEFAULT_MAX_HELLO_BYTES);
    }

    public ClientHelloParser(int maxHelloBytes) {
        this.maxHelloBytes = positiveCap("maxHelloBytes", maxHelloBytes);
    }

    @Override
    Inspection examine(ByteBuffer buffer) {
        int base = buffer.position();
        int available = buffer.remaining();
        if (nextRecord == 0) {
            checkLooksLikeTls(buffer, base, available);
        }
        while (available - nextRecord >= RECORD_HEADER) {
            int header = base + nextRecord;
            int recordLength = checkRecordHeader(buffer, header);
            int payloadHere = Math.min(recordLength, available - nextRecord - RECORD_HEADER);
            int handshakeBytes = handshakeBytesBefore + payloadHere;
            if (bodyLength < 0 && handshakeBytes >= HANDSHAKE_HEADER) {
                bodyLength = readHandshakeHeader(buffer, base);
            }
            if (bodyLength >= 0 && handshakeBytes >= HANDSHAKE_HEADER + bodyLength) {
                HandshakeReader reader = new HandshakeReader(buffer, base);
                reader.skip(HANDSHAKE_HEADER);
                return new Inspection.TlsHello(ClientHelloDecoder.decode(reader, bodyLength));
            }
            if (payloadHere < recordLength) {
                break;
            }
            handshakeBytesBefore = handshakeBytes;
            nextRecord += RECORD_HEADER + recordLength;
        }
        return Inspection.NeedMore.INSTANCE;
    }

    /** Rejects, from the first three bytes, connections that are not TLS records at all. */
    private static void checkLooksLikeTls(ByteBuffer buffer, int base, int available) {
        if (available == 0) {
            return;
        }
        int first = buffer.get(base) & 0xff;
        if ((first & 0x80) != 0) {
            if (available >= 3) {
                // SSLv2 record header: 2-byte length with the high bit set, then message type.
                throw InspectionFailure.unrecognized((buffer.get(base + 2) & 0xff) == SSL2_CLIENT_HELLO
                        ? "sslv2 hello" : "first byte 0x%02x is not a TLS record type".formatted(first));
            }
            return;
        }
        if (first != CONTENT_TYPE_HANDSHAKE) {
            throw InspectionFailure.unrecognized("record type " + first + " is not a handshake");
        }
        if (available >= 2 && (buffer.get(base + 1) & 0xff) != 3) {
            throw InspectionFailure.unrecognized("record version major %d is not TLS".formatted(buffer.get(base + 1) & 0xff));
        }
    }

    private static int checkRecordHeader(ByteBuffer buffer, int header) {
        int type = buffer.get(header) & 0xff;
        if (type != CONTENT_TYPE_HANDSHAKE) {
            throw InspectionFailure.tls("record type " + type + " interrupts the ClientHello");
        }
        int major = buffer.get(header + 1) & 0xff;
        if (major != 3) {
            throw InspectionFailure.tls("record version major " + major + " is not TLS");
        }
        int length = (buffer.get(header + 3) & 0xff) << 8 | buffer.get(header + 4) & 0xff;
        if (length == 0) {
            throw InspectionFailure.tls("empty handshake record");
        }
        if (length > MAX_RECORD_PAYLOAD) {
            throw InspectionFailure.tls("record length " + length + " exceeds " + MAX_RECORD_PAYLOAD);
        }
        return length;
    }

    private int readHandshakeHeader(ByteBuffer buffer, int base) {
        HandshakeReader reader = new HandshakeReader(buffer, base);
        int type = reader.u8();
        if (type != HANDSHAKE_CLIENT_HELLO) {
            throw InspectionFailure.tls("handshake type " + type + " is not a ClientHello");
        }
        int length = reader.u24();
        if (length > maxHelloBytes) {
            throw InspectionFailure.tls("ClientHello exceeds " + maxHelloBytes + " bytes");
        }
        return length;
    }
}
