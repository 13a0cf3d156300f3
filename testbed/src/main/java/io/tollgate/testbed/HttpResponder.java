package io.tollgate.testbed;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpChunkedInput;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.ssl.SniCompletionEvent;
import io.netty.handler.stream.ChunkedStream;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The fake internet's web server, one instance per connection (plain or behind TLS):
 * {@code GET /} greets the Host (or SNI), {@code GET /bytes/N} streams {@link DeterministicBytes},
 * {@code POST}/{@code PUT} echo the body back as it arrives. Every response names the host in {@code X-Served-By}.
 */
final class HttpResponder extends SimpleChannelInboundHandler<HttpObject> {
    private static final Pattern BYTES_PATH = Pattern.compile("/bytes/(\\d{1,15})");
    private static final int CHUNK_SIZE = 64 * 1024;

    private final String serverIp;
    private final int port;
    private final Consumer<RecordedRequest> recorder;
    private String sni;
    private boolean echoingBody;

    HttpResponder(String serverIp, int port, Consumer<RecordedRequest> recorder) {
        this.serverIp = serverIp;
        this.port = port;
        this.recorder = recorder;
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
        if (event instanceof SniCompletionEvent completion) {
            sni = completion.hostname();
            recorder.accept(new RecordedRequest(serverIp, port, sni, null, RecordedRequest.TLS_CLIENT_HELLO, null));
        }
        ctx.fireUserEventTriggered(event);
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, HttpObject msg) {
        if (msg instanceof HttpRequest request) {
            respond(ctx, request);
        }
        if (msg instanceof HttpContent content && echoingBody) {
            echoingBody = !(content instanceof LastHttpContent);
            ctx.writeAndFlush(content.retain());
            if (!ctx.channel().isWritable()) {
                ctx.channel().config().setAutoRead(false);
            }
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (ctx.channel().isWritable()) {
            ctx.channel().config().setAutoRead(true);
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ctx.close();
    }

    private void respond(ChannelHandlerContext ctx, HttpRequest request) {
        String host = hostWithoutPort(request.headers().get(HttpHeaderNames.HOST));
        String servedBy = host != null ? host : sni != null ? sni : serverIp;
        recorder.accept(new RecordedRequest(serverIp, port, sni, host, request.method().name(), request.uri()));

        HttpMethod method = request.method();
        String path = new QueryStringDecoder(request.uri()).path();
        Matcher bytes = BYTES_PATH.matcher(path);
        if (method.equals(HttpMethod.POST) || method.equals(HttpMethod.PUT)) {
            HttpResponse response = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
            headers(response, servedBy, HttpHeaderValues.APPLICATION_OCTET_STREAM);
            if (HttpUtil.isTransferEncodingChunked(request)) {
                HttpUtil.setTransferEncodingChunked(response, true);
            } else {
                HttpUtil.setContentLength(response, HttpUtil.getContentLength(request, 0L));
            }
            ctx.write(response);
            echoingBody = true;
        } else if (!method.equals(HttpMethod.GET)) {
            ctx.writeAndFlush(text(HttpResponseStatus.METHOD_NOT_ALLOWED, servedBy, "only GET, POST and PUT\n"));
        } else if (path.equals("/")) {
            ctx.writeAndFlush(text(HttpResponseStatus.OK, servedBy, "hello from " + servedBy + "\n"));
        } else if (bytes.matches()) {
            long length = Long.parseLong(bytes.group(1));
            HttpResponse response = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
            headers(response, servedBy, HttpHeaderValues.APPLICATION_OCTET_STREAM);
            HttpUtil.setContentLength(response, length);
            ctx.write(response);
            ctx.writeAndFlush(new HttpChunkedInput(new ChunkedStream(new DeterministicBytes(length), CHUNK_SIZE)))
                    .addListener(ChannelFutureListener.CLOSE_ON_FAILURE);
        } else {
            ctx.writeAndFlush(text(HttpResponseStatus.NOT_FOUND, servedBy, "not found: " + path + "\n"));
        }
    }

    private static FullHttpResponse text(HttpResponseStatus status, String servedBy, String body) {
        var response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status,
                Unpooled.copiedBuffer(body, StandardCharsets.UTF_8));
        headers(response, servedBy, HttpHeaderValues.TEXT_PLAIN);
        HttpUtil.setContentLength(response, response.content().readableBytes());
        return response;
    }

    private static void headers(HttpResponse response, String servedBy, CharSequence contentType) {
        response.headers().set("X-Served-By", servedBy).set(HttpHeaderNames.CONTENT_TYPE, contentType);
    }

    /** {@code name:port} → name, {@code [v6]:port} → v6, null stays null. */
    private static String hostWithoutPort(String host) {
        if (host == null || host.isBlank()) {
            return null;
        }
        if (host.startsWith("[")) {
            int end = host.indexOf(']');
            return end < 0 ? host : host.substring(1, end);
        }
        int colon = host.indexOf(':');
        return colon < 0 || host.indexOf(':', colon + 1) >= 0 ? host : host.substring(0, colon);
    }
}
