package io.tollgate.agent.tls;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Iterator;

/**
 * An HPACK decoder (RFC 7541) for one HTTP/2 connection's request header blocks, keeping its dynamic table in step
 * with the client's encoder. It keeps only {@code :method}, {@code :authority} and {@code :path} of each block. The
 * agent had used Netty's decoder; loading it (with Netty's buffers, logging and platform probing) cost the agent's
 * JVM about 4 MiB of memory for these three fields.
 */
final class HpackDecoder {
    /** The three request fields of one header block (each null when absent). */
    record Request(String method, String authority, String path) {}

    /** A header block that is not valid HPACK, or breaks a bound; the connection is not read further. */
    static final class MalformedException extends Exception {
        MalformedException(String message) {
            super(message, null, false, false);
        }
    }

    private static final int ENTRY_OVERHEAD = 32;
    private static final int[] TREE = huffmanTree();

    private final long maxTableSize;
    private final int maxDecodedSize;
    private final ArrayDeque<String[]> dynamic = new ArrayDeque<>(); // newest first
    private long tableSize;
    private long capacity;
    private byte[] block;
    private int at;
    private int end;

    /**
     * {@code maxTableSize}: the largest dynamic table the client may ask for (the server's SETTINGS are not seen);
     * {@code maxDecodedSize}: bound on the decoded names and values of one block.
     */
    HpackDecoder(long maxTableSize, int maxDecodedSize) {
        this.maxTableSize = maxTableSize;
        this.maxDecodedSize = maxDecodedSize;
        this.capacity = Math.min(4096, maxTableSize); // SETTINGS_HEADER_TABLE_SIZE's initial value
    }

    /** Decodes one complete header block ({@code length} bytes of {@code bytes} from {@code offset}). */
    Request decode(byte[] bytes, int offset, int length) throws MalformedException {
        block = bytes;
        at = offset;
        end = offset + length;
        String method = null;
        String authority = null;
        String path = null;
        long decoded = 0;
        while (at < end) {
            int b = block[at] & 0xff;
            String name;
            String value;
            if ((b & 0x80) != 0) { // indexed field
                String[] field = field(integer(7));
                name = field[0];
                value = field[1];
            } else if ((b & 0xe0) == 0x20) { // dynamic table size update
                long size = integer(5);
                if (size > maxTableSize) {
                    throw new MalformedException("table size " + size + " above the bound");
                }
                capacity = size;
                evict(0);
                continue;
            } else { // literal: with incremental indexing (01), without (0000) or never indexed (0001)
                boolean indexing = (b & 0xc0) == 0x40;
                long index = integer(indexing ? 6 : 4);
                name = index == 0 ? string() : field(index)[0];
                value = string();
                if (indexing) {
                    add(name, value);
                }
            }
            decoded += name.length() + value.length();
            if (decoded > maxDecodedSize) {
                throw new MalformedException("header list above " + maxDecodedSize + " bytes");
            }
            switch (name) {
                case ":method" -> method = value;
                case ":authority" -> authority = value;
                case ":path" -> path = value;
                default -> { }
            }
        }
        block = null;
        return new Request(method, authority, path);
    }

    private String[] field(long index) throws MalformedException {
        if (index >= 1 && index <= HpackTables.STATIC.length) {
            return HpackTables.STATIC[(int) index - 1];
        }
        long inDynamic = index - HpackTables.STATIC.length - 1;
        if (index < 1 || inDynamic >= dynamic.size()) {
            throw new MalformedException("index " + index + " outside the tables");
        }
        Iterator<String[]> it = dynamic.iterator();
        for (long i = 0; i < inDynamic; i++) {
            it.next();
        }
        return it.next();
    }

    private void add(String name, String value) {
        long size = name.length() + value.length() + ENTRY_OVERHEAD;
        if (size > capacity) {
            dynamic.clear(); // RFC 7541 4.4: an entry larger than the table empties it
            tableSize = 0;
            return;
        }
        evict(size);
        dynamic.addFirst(new String[] {name, value});
        tableSize += size;
    }

    /** Evicts the oldest entries until {@code room} more bytes fit. */
    private void evict(long room) {
        while (tableSize + room > capacity && !dynamic.isEmpty()) {
            String[] oldest = dynamic.removeLast();
            tableSize -= oldest[0].length() + oldest[1].length() + ENTRY_OVERHEAD;
        }
    }

    /** An integer with an N-bit prefix (RFC 7541 5.1), starting at the current byte. */
    private long integer(int prefixBits) throws MalformedException {
        int mask = (1 << prefixBits) - 1;
        long value = block[at++] & mask;
        if (value < mask) {
            return value;
        }
        for (int shift = 0; ; shift += 7) {
            if (at >= end || shift > 28) {
                throw new MalformedException("integer cut or too large");
            }
            int b = block[at++] & 0xff;
            value += (long) (b & 0x7f) << shift;
            if ((b & 0x80) == 0) {
                return value;
            }
        }
    }

    /** A string literal (RFC 7541 5.2): octets, as ISO-8859-1 so a table entry's size is its length. */
    private String string() throws MalformedException {
        if (at >= end) {
            throw new MalformedException("string literal missing");
        }
        boolean huffman = (block[at] & 0x80) != 0;
        long length = integer(7);
        if (length > end - at) {
            throw new MalformedException("string literal longer than the block");
        }
        int from = at;
        at += (int) length;
        return huffman ? huffman(from, (int) length)
                : new String(block, from, (int) length, StandardCharsets.ISO_8859_1);
    }

    private String huffman(int from, int length) throws MalformedException {
        byte[] out = new byte[length * 8 / 5]; // the shortest code is 5 bits
        int n = 0;
        int node = 0;
        int bitsSinceSymbol = 0;
        boolean allOnes = true;
        for (int i = from; i < from + length; i++) {
            int b = block[i] & 0xff;
            for (int bit = 7; bit >= 0; bit--) {
                int one = (b >> bit) & 1;
                allOnes &= one == 1;
                bitsSinceSymbol++;
                node = TREE[2 * node + one];
                if (node < 0) {
                    int symbol = -node - 1;
                    if (symbol == 256) {
                        throw new MalformedException("EOS inside a Huffman string");
                    }
                    out[n++] = (byte) symbol;
                    node = 0;
                    bitsSinceSymbol = 0;
                    allOnes = true;
                } else if (node == 0) {
                    throw new MalformedException("invalid Huffman code");
                }
            }
        }
        if (bitsSinceSymbol > 7 || !allOnes) { // padding: at most 7 bits, the most significant bits of EOS
            throw new MalformedException("invalid Huffman padding");
        }
        return new String(out, 0, n, StandardCharsets.ISO_8859_1);
    }

    /**
     * The Huffman code as a binary tree in an array: node {@code i}'s children are at {@code 2i} (bit 0) and
     * {@code 2i + 1} (bit 1); a child is another node's number, or {@code -(symbol + 1)} for a leaf, or 0 where no
     * code leads.
     */
    private static int[] huffmanTree() {
        int[] tree = new int[2 * 512];
        int nodes = 1;
        int[] codes = HpackTables.HUFFMAN;
        for (int symbol = 0; symbol < codes.length / 2; symbol++) {
            int code = codes[2 * symbol];
            int length = codes[2 * symbol + 1];
            int node = 0;
            for (int bit = length - 1; bit > 0; bit--) {
                int slot = 2 * node + ((code >>> bit) & 1);
                if (tree[slot] == 0) {
                    tree[slot] = nodes++;
                }
                node = tree[slot];
            }
            tree[2 * node + (code & 1)] = -(symbol + 1);
        }
        return tree;
    }
}
