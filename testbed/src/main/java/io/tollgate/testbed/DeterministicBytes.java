package io.tollgate.testbed;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The body of {@code GET /bytes/N}: N pseudo-random bytes from SplitMix64 seeded with N, each 64-bit output
 * written little-endian. Generated on the fly, so any length streams in constant memory.
 */
public final class DeterministicBytes extends InputStream {
    private long state;
    private long remaining;
    private long word;
    private int wordBytesLeft;

    public DeterministicBytes(long length) {
        if (length < 0) {
            throw new IllegalArgumentException("length must not be negative: " + length);
        }
        this.state = length;
        this.remaining = length;
    }

    /** The lowercase hex SHA-256 of the {@code length}-byte stream, to compare with what a client downloaded. */
    public static String sha256Hex(long length) {
        try (var digestOut = new DigestOutputStream(OutputStream.nullOutputStream(), MessageDigest.getInstance("SHA-256"))) {
            new DeterministicBytes(length).transferTo(digestOut);
            return HexFormat.of().formatHex(digestOut.getMessageDigest().digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is always available", e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public int read() {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) {
        if (remaining == 0) {
            return length == 0 ? 0 : -1;
        }
        int count = (int) Math.min(length, remaining);
        for (int i = offset; i < offset + count; i++) {
            if (wordBytesLeft == 0) {
                word = nextWord();
                wordBytesLeft = Long.BYTES;
            }
            buffer[i] = (byte) word;
            word >>>= 8;
            wordBytesLeft--;
        }
        remaining -= count;
        return count;
    }

    @Override
    public int available() {
        return (int) Math.min(remaining, Integer.MAX_VALUE);
    }

    private long nextWord() {
        long z = (state += 0x9E3779B97F4A7C15L);
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
