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
import java.net.InetAddress;
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

    /**
     * Listens on {@code api.bind()} and {@code port} (0 picks a free port) with {@code routes}, and on the same port
     * of each {@code api.runnerBind()} address with {@code runnerRoutes}, until closed.
     */
    public static ApiServer start(GatewayConfig.Api api, int port, Handler<HttpServerRequest> routes,
            Handler<HttpServerRequest> runnerRoutes) throws ApiStartException {
        if (api.tls() != null) {
            requireReadable("gateway.api.tls.cert", api.tls().cert());
            requireReadable("gateway.api.tls.key", api.tls().key());
        }
        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1).setWorkerPoolSize(1)
                .setInternalBlockingPoolSize(1)
                .setFileSystemOptions(new FileSystemOptions().setFileCachingEnabled(false)
                        .setClassPathResolvingEnabled(false)));
        try {
            HttpServer server = listen(vertx, api, api.bind(), port, routes, "gateway.api.bind");
            for (InetAddress runnerFacing : api.runnerBind()) {
                listen(vertx, api, runnerFacing, server.actualPort(), runnerRoutes, "gateway.api.runner-bind");
            }
            return new ApiServer(vertx, server);
        } catch (ApiStartException e) {
            awaitQuietly(vertx.close());
            throw e;
        }
    }

    private static HttpServer listen(Vertx vertx, GatewayConfig.Api api, InetAddress address, int port,
            Handler<HttpServerRequest> routes, String key) throws ApiStartException {
        HttpServerOptions options = new HttpServerOptions().setHost(address.getHostAddress()).setPort(port);
        if (api.tls() != null) {
            options.setSsl(true).setKeyCertOptions(new PemKeyCertOptions()
                    .setCertPath(api.tls().cert().toString()).setKeyPath(api.tls().key().toString()));
        }
        try {
            return await(vertx.createHttpServer(options).requestHandler(routes).listen());
        } catch (ExecutionException | TimeoutException e) {
            Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
            throw new ApiStartException("the operator API cannot listen on " + address.getHostAddress() + ":" + port
                    + (api.tls() == null ? "" : " with TLS") + ": " + cause + " (check gateway.listen.api, " + key
                    + (api.tls() == null ? "" : " and gateway.api.tls") + ")", cause);
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
