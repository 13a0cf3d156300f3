package io.tollgate.agent.tls;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http2.DefaultHttp2FrameWriter;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2Settings;
import io.tollgate.agent.bpf.KernelRecord;
import io.tollgate.agent.bpf.Tuple;
import java.io.ByteArrayOutputStream;
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
        byte[] settings = frames(w -> w.writeSettings(ctx(), new Http2Settings(), promise()));
        byte[] first = frames(w -> w.writeHeaders(ctx(), 1, headers("POST", "api.github.com", "/repos/other-org/x/issues"),
                0, false, promise()));
        // One DATA frame larger than the capture bound: only its first bytes are captured, the rest is skipped.
        byte[] data = frames(w -> w.writeData(ctx(), 1, Unpooled.wrappedBuffer(new byte[10_000]), 0, true, promise()));
        byte[] second = frames(w -> w.writeHeaders(ctx(), 3, headers("GET", "api.github.com:443", "/repos/own/x"),
                0, true, promise()));

        List<TlsSessions.Found> found = new ArrayList<>();
        found.addAll(sessions.write(write(concat(Http2Requests.PREFACE, settings)), 0));
        // the HEADERS frame split in two writes
        found.addAll(sessions.write(write(Arrays.copyOfRange(first, 0, 5)), 0));
        found.addAll(sessions.write(write(Arrays.copyOfRange(first, 5, first.length)), 0));
        found.addAll(sessions.write(new KernelRecord.TlsWrite(PID, SESSION, data.length,
                KernelRecord.TlsLibrary.OPENSSL, Arrays.copyOf(data, 4095)), 0));
        found.addAll(sessions.write(write(second), 0));

        assertThat(found).extracting(TlsSessions.Found::head).containsExactly(
                new RequestHead("POST", "api.github.com", "/repos/other-org/x/issues"),
                new RequestHead("GET", "api.github.com", "/repos/own/x"));
    }

    private static Http2Headers headers(String method, String authority, String path) {
        return new DefaultHttp2Headers().method(method).scheme("https").authority(authority).path(path)
                .add("user-agent", "curl/8").add("accept", "*/*");
    }

    private interface FrameWrite {
        void write(DefaultHttp2FrameWriter writer);
    }

    private final DefaultHttp2FrameWriter writer = new DefaultHttp2FrameWriter();
    private final EmbeddedChannel channel = new EmbeddedChannel(new ChannelInboundHandlerAdapter());

    private byte[] frames(FrameWrite write) {
        write.write(writer);
        channel.flush();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Object o; (o = channel.readOutbound()) != null; ) {
            ByteBuf b = (ByteBuf) o;
            byte[] bytes = new byte[b.readableBytes()];
            b.readBytes(bytes);
            b.release();
            out.writeBytes(bytes);
        }
        return out.toByteArray();
    }

    private ChannelHandlerContext ctx() {
        return channel.pipeline().firstContext();
    }

    private io.netty.channel.ChannelPromise promise() {
        return channel.newPromise();
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
