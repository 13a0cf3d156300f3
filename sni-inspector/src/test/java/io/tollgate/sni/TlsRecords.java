package io.tollgate.sni;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.List;

/** Frames handshake bytes into TLS records and takes real records apart again. */
final class TlsRecords {

    private TlsRecords() {}

    static byte[] frame(byte[] handshake) {
        return frame(handshake, List.of(16384));
    }

    /** One record per fragment size, cycling through {@code fragmentSizes} until the bytes are used up. */
    static byte[] frame(byte[] handshake, List<Integer> fragmentSizes) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int offset = 0;
        for (int i = 0; offset < handshake.length; i++) {
            int size = Math.min(fragmentSizes.get(i % fragmentSizes.size()), handshake.length - offset);
            out.writeBytes(record(22, Arrays.copyOfRange(handshake, offset, offset + size)));
            offset += size;
        }
        return out.toByteArray();
    }

    static byte[] record(int type, byte[] payload) {
        return ClientHelloBuilder.concat(new byte[] {(byte) type, 3, 1, (byte) (payload.length >> 8), (byte) payload.length}, payload);
    }

    /** The handshake message carried by the leading handshake records of {@code records}. */
    static byte[] handshakeMessage(byte[] records) {
        ByteArrayOutputStream handshake = new ByteArrayOutputStream();
        int offset = 0;
        while (offset + 5 <= records.length && records[offset] == 22) {
            int length = (records[offset + 3] & 0xff) << 8 | records[offset + 4] & 0xff;
            handshake.writeBytes(Arrays.copyOfRange(records, offset + 5, Math.min(records.length, offset + 5 + length)));
            offset += 5 + length;
        }
        byte[] all = handshake.toByteArray();
        int messageLength = 4 + ((all[1] & 0xff) << 16 | (all[2] & 0xff) << 8 | all[3] & 0xff);
        return Arrays.copyOf(all, messageLength);
    }
}
