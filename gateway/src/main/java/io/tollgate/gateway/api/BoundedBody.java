package io.tollgate.gateway.api;

import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;

/** Reads a request body of at most {@code limit} bytes; a larger one is answered 413 and never buffered whole. */
final class BoundedBody {
    private BoundedBody() {}

    static void read(HttpServerRequest request, int limit, Handler<Buffer> onBody) {
        Buffer body = Buffer.buffer();
        boolean[] refused = {false};
        request.handler(chunk -> {
            if (refused[0]) {
                return;
            }
            if (body.length() + chunk.length() > limit) {
                refused[0] = true;
                Replies.error(request, 413, "the request body is larger than " + limit + " bytes");
                return;
            }
            body.appendBuffer(chunk);
        });
        request.endHandler(done -> {
            if (!refused[0]) {
                onBody.handle(body);
            }
        });
    }
}
