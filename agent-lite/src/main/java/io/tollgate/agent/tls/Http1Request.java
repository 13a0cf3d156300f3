package io.tollgate.agent.tls;

import io.tollgate.sni.HttpRequestHeadParser;
import io.tollgate.sni.Inspection;
import java.nio.ByteBuffer;
import java.util.Optional;

/** An HTTP/1.x request head at the start of one TLS write (request line and Host), via sni-inspector's parser. */
final class Http1Request {
    private Http1Request() {}

    static Optional<RequestHead> parse(byte[] write) {
        if (write.length < 4 || !Character.isUpperCase(write[0])) {
            return Optional.empty();
        }
        Inspection seen = new HttpRequestHeadParser(write.length + 1).offer(ByteBuffer.wrap(write));
        if (seen instanceof Inspection.HttpHead(var head)) {
            return Optional.of(new RequestHead(head.method(), head.host(), head.target()));
        }
        return Optional.empty();
    }
}
