package io.tollgate.agent.tls;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http2.DefaultHttp2FrameWriter;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2Settings;
import java.io.ByteArrayOutputStream;

/** A client's HTTP/2 bytes as it would write them into TLS (Netty's frame writer and HPACK encoder, one connection). */
public final class Http2Frames {
    private final DefaultHttp2FrameWriter writer = new DefaultHttp2FrameWriter();
    private final EmbeddedChannel channel = new EmbeddedChannel(new ChannelInboundHandlerAdapter());
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    public Http2Frames preface() {
        out.writeBytes(Http2Requests.PREFACE);
        return this;
    }

    public Http2Frames settings() {
        writer.writeSettings(channel.pipeline().firstContext(), new Http2Settings(), channel.newPromise());
        return drain();
    }

    public Http2Frames headers(int stream, String method, String authority, String path, boolean endStream) {
        Http2Headers headers = new DefaultHttp2Headers().method(method).scheme("https").authority(authority)
                .path(path).add("user-agent", "curl/8").add("accept", "*/*");
        writer.writeHeaders(channel.pipeline().firstContext(), stream, headers, 0, endStream, channel.newPromise());
        return drain();
    }

    public Http2Frames data(int stream, int length, boolean endStream) {
        writer.writeData(channel.pipeline().firstContext(), stream, Unpooled.wrappedBuffer(new byte[length]), 0,
                endStream, channel.newPromise());
        return drain();
    }

    /** The bytes written since the last call. */
    public byte[] take() {
        byte[] bytes = out.toByteArray();
        out.reset();
        return bytes;
    }

    private Http2Frames drain() {
        channel.flush();
        for (Object o; (o = channel.readOutbound()) != null; ) {
            ByteBuf b = (ByteBuf) o;
            byte[] bytes = new byte[b.readableBytes()];
            b.readBytes(bytes);
            b.release();
            out.writeBytes(bytes);
        }
        return this;
    }
}
