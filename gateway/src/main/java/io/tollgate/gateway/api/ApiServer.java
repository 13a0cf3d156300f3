package io.tollgate.gateway.api;

import io.tollgate.gateway.config.GatewayConfig;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.file.FileSystemOptions;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.PemKeyCertOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The operator API's HTTP(S) server. It runs on its own Vert.x instance with one event loop thread, so a slow scrape
 * or a flood of API requests never takes time from the data path's event loops.
 */
public final class ApiServer implements AutoCloseable {
    private static final long WAIT_SECONDS = 10;

    private final Vertx vertx;
    private final HttpServer server;

    private ApiServer(Vertx vertx, HttpServer server) {
        this.vertx = vertx;
        this.server = server;
    }

    /** Listens on {@code api.bind()} and {@code port} (0 picks a free port) until closed. */
    public static ApiServer start(GatewayConfig.Api api, int port, Handler<HttpServerRequest> routes)
            throws ApiStartException {
        HttpServerOptions options = new HttpServerOptions().setHost(api.bind().getHostAddress()).setPort(port);
        if (api.tls() != null) {
            requireReadable("gateway.api.tls.cert", api.tls().cert());
            requireReadable("gateway.api.tls.key", api.tls().key());
            options.setSsl(true).setKeyCertOptions(new PemKeyCertOptions()
                    .setCertPath(api.tls().cert().toString()).setKeyPath(api.tls().key().toString()));
        }
        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1).setWorkerPoolSize(1)
                .setInternalBlockingPoolSize(1)
                .setFileSystemOptions(new FileSystemOptions().setFileCachingEnabled(false)
                        .setClassPathResolvingEnabled(false)));
        try {
            HttpServer server = await(vertx.createHttpServer(options).requestHandler(routes).listen());
            return new ApiServer(vertx, server);
        } catch (ExecutionException | TimeoutException e) {
            awaitQuietly(vertx.close());
            Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
            throw new ApiStartException("the operator API cannot listen on " + api.bind().getHostAddress() + ":" + port
                    + (api.tls() == null ? "" : " with TLS") + ": " + cause + " (check gateway.listen.api,"
                    + " gateway.api.bind" + (api.tls() == null ? "" : " and gateway.api.tls") + ")", cause);
        }
    }

    /** The port it listens on. */
    public int port() {
        return server.actualPort();
    }

    @Override
    public void close() {
        awaitQuietly(vertx.close());
    }

    private static void requireReadable(String key, Path file) throws ApiStartException {
        if (!Files.isReadable(file)) {
            throw new ApiStartException(key + ": " + file + (Files.exists(file) ? " cannot be read" : " does not exist"),
                    null);
        }
    }

    private static <T> T await(Future<T> future) throws ExecutionException, TimeoutException {
        try {
            return future.toCompletionStage().toCompletableFuture().get(WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ExecutionException("interrupted while the operator API started", e);
        }
    }

    private static void awaitQuietly(Future<?> future) {
        try {
            await(future);
        } catch (ExecutionException | TimeoutException e) {
            // Stopping: the process is going away, so a slow or failed close changes nothing.
        }
    }
}
