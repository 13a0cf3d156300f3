package io.tollgate.sni;

import java.nio.ByteBuffer;

/**
 * Reads a handshake message as one byte stream although it may be spread over several TLS records:
 * record headers are stepped over transparently. The caller guarantees that the records were validated
 * (within the buffer) up to the bytes it reads.
 */
final class HandshakeReader {

    private static final int RECORD_HEADER = 5;

    private final ByteBuffer buffer;
    private int index;
    private int leftInRecord;
    private int consumed;

    /** @param firstRecord absolute index of the first record's header */
    HandshakeReader(ByteBuffer buffer, int firstRecord) {
        this.buffer = buffer;
        this.index = firstRecord;
    }

    /** Handshake bytes read or skipped so far. */
    int consumed() {
        return consumed;
    }

    int u8() {
        enterRecordIfNeeded();
        leftInRecord--;
        consumed++;
        return buffer.get(index++) & 0xff;
    }

    int u16() {
        return u8() << 8 | u8();
    }

    int u24() {
        return u8() << 16 | u16();
    }

    byte[] bytes(int length) {
        byte[] out = new byte[length];
        for (int i = 0; i < length; i++) {
            out[i] = (byte) u8();
        }
        return out;
    }

    void skip(int length) {
        while (length > 0) {
            enterRecordIfNeeded();
            int step = Math.min(length, leftInRecord);
            index += step;
            leftInRecord -= step;
            consumed += step;
            length -= step;
        }
    }

    private void enterRecordIfNeeded() {
        if (leftInRecord == 0) {
            leftInRecord = (buffer.get(index + 3) & 0xff) << 8 | buffer.get(index + 4) & 0xff;
            index += RECORD_HEADER;
            if (leftInRecord == 0) {
                // Only reachable if earlier bytes changed between offers; stops skip() from spinning.
                throw InspectionFailure.tls("empty handshake record");
            }
        }
    }
}
