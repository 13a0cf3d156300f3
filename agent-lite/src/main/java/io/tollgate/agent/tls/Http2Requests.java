package io.tollgate.agent.tls;

import io.tollgate.agent.bpf.KernelRecord;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The client side of one HTTP/2 connection as written into TLS: frames are followed across writes, HEADERS and
 * CONTINUATION blocks go through one HPACK decoder so its dynamic table stays in step, and every other frame
 * (DATA included) is skipped without being kept. The part of a write past the capture bound is followed by the kernel
 * side's walk of its frame headers ({@link KernelRecord.H2Tail}); losing frame sync (a header block past the capture,
 * or an HPACK error) stops the parsing of this connection for good.
 */
final class Http2Requests {
    static final byte[] PREFACE = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final int FRAME_HEADER = 9;
    private static final int HEADERS = 0x1;
    private static final int CONTINUATION = 0x9;
    private static final int END_HEADERS = 0x4;
    private static final int PADDED = 0x8;
    private static final int PRIORITY = 0x20;
    private static final int MAX_HEADER_BLOCK = 32 * 1024;
    private static final long MAX_TABLE = 64 * 1024;

    private final HpackDecoder hpack = new HpackDecoder(MAX_TABLE, MAX_HEADER_BLOCK);
    private final byte[] header = new byte[FRAME_HEADER];
    private int prefaceLeft = PREFACE.length;
    private int headerFill;
    private int frameType;
    private int frameFlags;
    private int frameStream;
    private long payloadLeft;
    private ByteArrayOutputStream block;
    private int blockStream;
    private byte[] headersPayload;
    private int headersFill;
    private boolean broken;

    static boolean startsWithPreface(byte[] write) {
        return write.length >= PREFACE.length && Arrays.equals(write, 0, PREFACE.length, PREFACE, 0, PREFACE.length);
    }

    boolean broken() {
        return broken;
    }

    /**
     * Feeds one write: {@code captured} are its first bytes, {@code totalLength} how long it really was, {@code tail}
     * (or null) where the kernel side's walk of the frames left the write's end.
     */
    List<RequestHead> write(byte[] captured, long totalLength, KernelRecord.H2Tail tail) {
        List<RequestHead> found = new ArrayList<>();
        if (broken) {
            return found;
        }
        int i = 0;
        while (i < captured.length && !broken) {
            if (prefaceLeft > 0) {
                int n = Math.min(prefaceLeft, captured.length - i);
                i += n;
                prefaceLeft -= n;
            } else if (headerFill < FRAME_HEADER) {
                header[headerFill++] = captured[i++];
                if (headerFill == FRAME_HEADER) {
                    startFrame();
                }
            } else {
                int n = (int) Math.min(payloadLeft, captured.length - i);
                if (headersPayload != null) {
                    System.arraycopy(captured, i, headersPayload, headersFill, n);
                    headersFill += n;
                }
                i += n;
                payloadLeft -= n;
                if (payloadLeft == 0) {
                    endFrame(found);
                }
            }
        }
        if (totalLength > captured.length && tail != null && !broken) {
            resync(tail);
        } else {
            skip(totalLength - captured.length);
        }
        return found;
    }

    /** The uncaptured rest of a write, as the kernel side walked it: no header block in it, or sync is lost. */
    private void resync(KernelRecord.H2Tail tail) {
        if (tail.lost() || prefaceLeft > 0) {
            broken = true;
            return;
        }
        headersPayload = null;
        if (tail.toHeader() > 0) {
            headerFill = FRAME_HEADER;
            payloadLeft = tail.toHeader();
        } else {
            headerFill = tail.partialHeader().length;
            System.arraycopy(tail.partialHeader(), 0, header, 0, headerFill);
        }
    }

    /** Bytes of a write beyond the capture bound: harmless only inside a payload that is skipped anyway. */
    private void skip(long missing) {
        if (missing <= 0 || broken) {
            return;
        }
        if (prefaceLeft > 0 || headerFill < FRAME_HEADER || headersPayload != null || missing > payloadLeft) {
            broken = true;
            return;
        }
        payloadLeft -= missing;
        if (payloadLeft == 0) {
            headerFill = 0;
        }
    }

    private void startFrame() {
        payloadLeft = ((header[0] & 0xff) << 16) | ((header[1] & 0xff) << 8) | (header[2] & 0xff);
        frameType = header[3] & 0xff;
        frameFlags = header[4] & 0xff;
        frameStream = ((header[5] & 0x7f) << 24) | ((header[6] & 0xff) << 16) | ((header[7] & 0xff) << 8)
                | (header[8] & 0xff);
        boolean headerBlock = frameType == HEADERS || frameType == CONTINUATION;
        if (headerBlock && payloadLeft > MAX_HEADER_BLOCK) {
            broken = true;
            return;
        }
        headersPayload = headerBlock ? new byte[(int) payloadLeft] : null;
        headersFill = 0;
        if (payloadLeft == 0) {
            endFrame(new ArrayList<>());
        }
    }

    /**
     * A whole HEADERS or CONTINUATION frame that lay past the capture of the last write (the kernel side copied it);
     * the frame position the last write left is not changed.
     */
    List<RequestHead> frame(byte[] frame) {
        List<RequestHead> found = new ArrayList<>();
        if (broken || frame.length < FRAME_HEADER) {
            return found;
        }
        int length = ((frame[0] & 0xff) << 16) | ((frame[1] & 0xff) << 8) | (frame[2] & 0xff);
        int type = frame[3] & 0xff;
        if (length != frame.length - FRAME_HEADER || (type != HEADERS && type != CONTINUATION)) {
            broken = true;
            return found;
        }
        int stream = ((frame[5] & 0x7f) << 24) | ((frame[6] & 0xff) << 16) | ((frame[7] & 0xff) << 8)
                | (frame[8] & 0xff);
        headerBlock(type, frame[4] & 0xff, stream, Arrays.copyOfRange(frame, FRAME_HEADER, frame.length), found);
        return found;
    }

    private void endFrame(List<RequestHead> found) {
        headerFill = 0;
        if (headersPayload == null) {
            return;
        }
        byte[] payload = headersPayload;
        headersPayload = null;
        headerBlock(frameType, frameFlags, frameStream, payload, found);
    }

    private void headerBlock(int type, int flags, int stream, byte[] payload,
            List<RequestHead> found) {
        if (type == HEADERS) {
            int from = 0;
            int to = payload.length;
            if ((flags & PADDED) != 0 && payload.length > 0) {
                to -= payload[0] & 0xff;
                from = 1;
            }
            if ((flags & PRIORITY) != 0) {
                from += 5;
            }
            if (from > to) {
                broken = true;
                return;
            }
            block = new ByteArrayOutputStream();
            blockStream = stream;
            block.write(payload, from, to - from);
        } else if (block != null && stream == blockStream) {
            block.write(payload, 0, payload.length);
            if (block.size() > MAX_HEADER_BLOCK) {
                broken = true;
                return;
            }
        } else {
            broken = true;
            return;
        }
        if ((flags & END_HEADERS) != 0) {
            decode(found);
        }
    }

    /** The host of an {@code :authority} ({@code host[:port]}, {@code [v6]:port}), lower case, as HTTP/1 reports it. */
    static String hostOf(String authority) {
        String a = authority.toLowerCase(java.util.Locale.ROOT);
        if (a.startsWith("[")) {
            int close = a.indexOf(']');
            return close < 0 ? a : a.substring(1, close);
        }
        int colon = a.lastIndexOf(':');
        return colon < 0 ? a : a.substring(0, colon);
    }

    private void decode(List<RequestHead> found) {
        byte[] bytes = block.toByteArray();
        block = null;
        try {
            HpackDecoder.Request request = hpack.decode(bytes, 0, bytes.length);
            if (request.method() != null) {
                found.add(new RequestHead(request.method(),
                        request.authority() == null ? null : hostOf(request.authority()), request.path()));
            }
        } catch (HpackDecoder.MalformedException e) {
            broken = true;
        }
    }
}
