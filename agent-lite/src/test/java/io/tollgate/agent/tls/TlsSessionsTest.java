package io.tollgate.agent.tls;

import static org.assertj.core.api.Assertions.assertThat;

import io.tollgate.agent.bpf.KernelRecord;
import io.tollgate.agent.bpf.Tuple;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** HTTP/1 and HTTP/2 request heads out of TLS writes as the uprobes capture them (bounded, split, truncated). */
class TlsSessionsTest {
    private static final int PID = 42;
    private static final long SESSION = 0x7f00_1234L;
    private final TlsSessions sessions = new TlsSessions(1_000);
    private final Tuple tuple = tuple();

    @Test
    void http1RequestWaitsForItsSocketThenCarriesIt() {
        List<TlsSessions.Found> early = sessions.write(write(("POST /repos/a/b/issues HTTP/1.1\r\nHost: api.github.com"
                + "\r\nContent-Length: 4\r\n\r\nbody").getBytes(StandardCharsets.US_ASCII)), 0);
        assertThat(early).isEmpty();
        List<TlsSessions.Found> ready = sessions.socket(new KernelRecord.TlsSocket(PID, SESSION, tuple));
        assertThat(ready).containsExactly(new TlsSessions.Found(PID, tuple,
                new RequestHead("POST", "api.github.com", "/repos/a/b/issues")));
    }

    @Test
    void requestWithoutSocketIsReportedAfterTheWait() {
        sessions.write(write("GET /x HTTP/1.1\r\nHost: h\r\n\r\n".getBytes(StandardCharsets.US_ASCII)), 0);
        assertThat(sessions.expired(999)).isEmpty();
        assertThat(sessions.expired(1_000)).containsExactly(
                new TlsSessions.Found(PID, null, new RequestHead("GET", "h", "/x")));
    }

    @Test
    void http1HeadWrittenInSeveralWritesIsReadOnceComplete() {
        sessions.socket(new KernelRecord.TlsSocket(PID, SESSION, tuple));
        assertThat(sessions.write(write(ascii("GET /late/library HTTP/1.1\r\n")), 0)).isEmpty();
        assertThat(sessions.write(write(ascii("Host: localhost\r\n")), 0)).isEmpty();
        assertThat(sessions.write(write(ascii("Connection: close\r\n\r\n")), 0)).containsExactly(
                new TlsSessions.Found(PID, tuple, new RequestHead("GET", "localhost", "/late/library")));
    }

    @Test
    void anUnfinishedHeadDoesNotHideTheNextRequest() {
        sessions.socket(new KernelRecord.TlsSocket(PID, SESSION, tuple));
        // a body that starts like a request line, then a whole request in the next write
        assertThat(sessions.write(write(ascii("Hello world")), 0)).isEmpty();
        assertThat(sessions.write(write(ascii("PUT /y HTTP/1.1\r\nHost: h\r\n\r\n")), 0)).extracting(
                TlsSessions.Found::head).containsExactly(new RequestHead("PUT", "h", "/y"));
        // a head cut by the capture bound is not continued by the next write
        byte[] longHead = ascii("GET /z HTTP/1.1\r\nX-Long: " + "a".repeat(5000) + "\r\n");
        assertThat(sessions.write(new KernelRecord.TlsWrite(PID, SESSION, longHead.length,
                KernelRecord.TlsLibrary.OPENSSL, Arrays.copyOf(longHead, 4095)), 0)).isEmpty();
        assertThat(sessions.write(write(ascii("Host: h\r\n\r\n")), 0)).isEmpty();
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    @Test
    void bodiesAreNotRequests() {
        sessions.socket(new KernelRecord.TlsSocket(PID, SESSION, tuple));
        assertThat(sessions.write(write("{\"secret\": 1}".getBytes(StandardCharsets.US_ASCII)), 0)).isEmpty();
    }

    @Test
    void http2HeadersAcrossWritesThroughTheDynamicTableAndPastLargeDataFrames() {
        sessions.socket(new KernelRecord.TlsSocket(PID, SESSION, tuple));
        Http2Frames h2 = new Http2Frames();
        byte[] start = h2.preface().settings().take();
        byte[] first = h2.headers(1, "POST", "api.github.com", "/repos/other-org/x/issues", false).take();
        // One DATA frame larger than the capture bound: only its first bytes are captured, the rest is skipped.
        byte[] data = h2.data(1, 10_000, true).take();
        byte[] second = h2.headers(3, "GET", "api.github.com:443", "/repos/own/x", true).take();

        List<TlsSessions.Found> found = new ArrayList<>();
        found.addAll(sessions.write(write(start), 0));
        // the HEADERS frame split in two writes
        found.addAll(sessions.write(write(Arrays.copyOfRange(first, 0, 5)), 0));
        found.addAll(sessions.write(write(Arrays.copyOfRange(first, 5, first.length)), 0));
        found.addAll(sessions.write(cut(data, null), 0));
        found.addAll(sessions.write(write(second), 0));

        assertThat(found).extracting(TlsSessions.Found::head).containsExactly(
                new RequestHead("POST", "api.github.com", "/repos/other-org/x/issues"),
                new RequestHead("GET", "api.github.com", "/repos/own/x"));
    }

    @Test
    void http2FramesPastTheCaptureAreFollowedByTheKernelSidesWalk() {
        sessions.socket(new KernelRecord.TlsSocket(PID, SESSION, tuple));
        Http2Frames h2 = new Http2Frames();
        h2.preface().settings().headers(1, "POST", "h", "/upload", false);
        for (int i = 0; i < 11; i++) {
            h2.data(1, 1000, false);
        }
        // the write ends 400 bytes into a DATA frame's payload; the next write finishes it, then a new request
        byte[] upload = h2.data(1, 1000, true).take();
        byte[] large = Arrays.copyOf(upload, upload.length - 400);
        byte[] next = concat(Arrays.copyOfRange(upload, upload.length - 400, upload.length),
                h2.headers(3, "GET", "h", "/after", true).take());

        List<TlsSessions.Found> found = new ArrayList<>(sessions.write(cut(large,
                new KernelRecord.H2Tail(false, 400, new byte[0])), 0));
        found.addAll(sessions.write(write(next), 0));
        assertThat(found).extracting(f -> f.head().path()).containsExactly("/upload", "/after");

        // a write that ends inside a frame header: its first bytes come with the walk
        byte[] more = h2.data(3, 5000, false).data(3, 100, false).take();
        int headerStart = 9 + 5000;
        found.clear();
        found.addAll(sessions.write(cut(Arrays.copyOf(more, headerStart + 4), new KernelRecord.H2Tail(false, 0,
                Arrays.copyOfRange(more, headerStart, headerStart + 4))), 0));
        found.addAll(sessions.write(write(concat(Arrays.copyOfRange(more, headerStart + 4, more.length),
                h2.headers(5, "GET", "h", "/after/partial-header", true).take())), 0));
        assertThat(found).extracting(f -> f.head().path()).containsExactly("/after/partial-header");
    }

    @Test
    void http2HeadersFramesPastTheCaptureComeCopiedAfterTheirWrite() {
        sessions.socket(new KernelRecord.TlsSocket(PID, SESSION, tuple));
        Http2Frames h2 = new Http2Frames();
        byte[] large = h2.preface().settings().headers(1, "POST", "h", "/upload", false).data(1, 5000, false).take();
        byte[] inTail = h2.headers(3, "GET", "h", "/in-tail", true).take();
        byte[] rest = h2.data(1, 100, true).take();
        byte[] write = concat(concat(large, inTail), rest);

        List<TlsSessions.Found> found = new ArrayList<>(sessions.write(cut(write,
                new KernelRecord.H2Tail(false, 0, new byte[0])), 0));
        found.addAll(sessions.h2Frame(new KernelRecord.H2Frame(PID, SESSION, inTail), 0));
        // the next request goes through the same HPACK dynamic table, which the copied frame kept in step
        found.addAll(sessions.write(write(h2.headers(5, "GET", "h", "/next", true).take()), 0));
        assertThat(found).extracting(f -> f.head().path()).containsExactly("/upload", "/in-tail", "/next");
    }

    @Test
    void http2HeaderBlockPastTheCaptureStopsTheConnection() {
        sessions.socket(new KernelRecord.TlsSocket(PID, SESSION, tuple));
        Http2Frames h2 = new Http2Frames();
        byte[] large = h2.preface().settings().headers(1, "POST", "h", "/upload", false).data(1, 5000, true)
                .headers(3, "GET", "h", "/lost", true).take();
        assertThat(sessions.write(cut(large, new KernelRecord.H2Tail(true, 0, new byte[0])), 0))
                .extracting(f -> f.head().path()).containsExactly("/upload");
        // the HPACK state is unknown from here on: nothing more is read rather than something wrong
        assertThat(sessions.write(write(h2.headers(5, "GET", "h", "/after", true).take()), 0)).isEmpty();
    }

    /** A write longer than the capture: only its first 4095 bytes captured, {@code tail} from the kernel's walk. */
    private static KernelRecord.TlsWrite cut(byte[] data, KernelRecord.H2Tail tail) {
        return new KernelRecord.TlsWrite(PID, SESSION, data.length, KernelRecord.TlsLibrary.OPENSSL,
                Arrays.copyOf(data, 4095), tail);
    }

    private static KernelRecord.TlsWrite write(byte[] data) {
        return new KernelRecord.TlsWrite(PID, SESSION, data.length, KernelRecord.TlsLibrary.OPENSSL, data);
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] all = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }

    private static Tuple tuple() {
        try {
            return new Tuple("tcp", InetAddress.getByName("10.10.0.2"), 40000, InetAddress.getByName("10.20.0.9"), 443);
        } catch (java.net.UnknownHostException e) {
            throw new AssertionError(e);
        }
    }
}
