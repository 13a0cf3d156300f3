package io.tollgate.agent.report;

import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import javax.net.ssl.SSLSocketFactory;

/**
 * Sends attributions to the gateway's {@code POST /v1/attribution} in batches: every {@code interval}, or sooner when
 * {@value #BATCH_LIMIT} records wait, so a build making thousands of connections costs a few requests a second.
 * Records wait in bounded queues; when the gateway is unreachable the oldest are dropped and counted, never the
 * agent's memory grown. Only HTTP(S) with the runner's {@code agent} token: the agent is never a cluster member.
 * The gateway takes from an agent only records of the address the agent connects from, and refuses a whole batch
 * with one other; so records of the runner's other addresses (loopback, such as a local DNS stub, or the other IP
 * family) are counted and not sent.
 */
public final class GatewayReporter implements AttributionSink, AutoCloseable {
    static final int BATCH_LIMIT = 2_000;
    /**
     * Bytes of JSON the queues may hold while the gateway is unreachable (about 12 000 connections): a bound in
     * records alone let them outgrow the agent's 16 MiB heap.
     */
    static final int QUEUE_BYTES = 2 * 1024 * 1024;

    private final URI endpoint;
    private final String token;
    private final HttpPoster http;
    private final long intervalNanos;
    private final Consumer<String> log;
    /** One record as UTF-8 JSON and the source address it names ({@code null}: the request's own address). */
    private record Queued(InetAddress source, byte[] json) {}

    private final ArrayDeque<Queued> connections = new ArrayDeque<>();
    private final ArrayDeque<Queued> requests = new ArrayDeque<>();
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong otherAddress = new AtomicLong();
    private boolean otherAddressLogged;
    private final AtomicLong dropped = new AtomicLong();
    private long queuedBytes;
    private final Thread sender;
    private volatile boolean running = true;
    private String lastProblem;

    /** {@code tls} trusts the gateway API's certificate; needed for https URLs only (else null). */
    public GatewayReporter(URI gateway, String token, SSLSocketFactory tls, Duration interval, Consumer<String> log) {
        this.endpoint = URI.create(gateway.toString().replaceAll("/+$", "") + "/v1/attribution");
        this.token = token;
        this.http = new HttpPoster(endpoint, tls);
        this.intervalNanos = interval.toNanos();
        this.log = log;
        this.sender = Thread.ofPlatform().name("agent-lite-reporter").daemon().start(this::sendLoop);
    }

    @Override
    public void connection(ConnectionAttribution attribution) {
        enqueue(connections, new Queued(attribution.tuple().source(),
                BatchJson.connection(attribution).getBytes(StandardCharsets.UTF_8)));
    }

    @Override
    public void https(HttpsRequest request) {
        enqueue(requests, new Queued(request.tuple() == null ? null : request.tuple().source(),
                BatchJson.https(request).getBytes(StandardCharsets.UTF_8)));
    }

    private synchronized void enqueue(ArrayDeque<Queued> queue, Queued record) {
        while (queuedBytes + record.json().length > QUEUE_BYTES && !(connections.isEmpty() && requests.isEmpty())) {
            queuedBytes -= (queue.isEmpty() ? other(queue) : queue).pollFirst().json().length;
            dropped.incrementAndGet();
        }
        queue.addLast(record);
        queuedBytes += record.json().length;
        if (connections.size() + requests.size() >= BATCH_LIMIT) {
            notifyAll();
        }
    }

    /** Records the gateway accepted. */
    public long sent() {
        return sent.get();
    }

    /** Records not sent because they name another source address than the one the agent reaches the gateway from. */
    public long otherAddress() {
        return otherAddress.get();
    }

    /** Records dropped because the queue was full (the gateway unreachable or refusing). */
    public long dropped() {
        return dropped.get();
    }

    private void sendLoop() {
        while (running) {
            List<Queued> c;
            List<Queued> h;
            synchronized (this) {
                try {
                    if (connections.size() + requests.size() < BATCH_LIMIT) {
                        TimeUnit.NANOSECONDS.timedWait(this, intervalNanos);
                    }
                } catch (InterruptedException e) {
                    return;
                }
                c = take(connections);
                h = take(requests);
            }
            if (!c.isEmpty() || !h.isEmpty()) {
                send(c, h);
            }
        }
    }

    private ArrayDeque<Queued> other(ArrayDeque<Queued> queue) {
        return queue == connections ? requests : connections;
    }

    /** Called holding the lock. */
    private List<Queued> take(ArrayDeque<Queued> queue) {
        List<Queued> batch = new ArrayList<>(Math.min(queue.size(), BATCH_LIMIT));
        while (!queue.isEmpty() && batch.size() < BATCH_LIMIT) {
            Queued record = queue.pollFirst();
            queuedBytes -= record.json().length;
            batch.add(record);
        }
        return batch;
    }

    private void send(List<Queued> queuedConnections, List<Queued> queuedRequests) {
        List<Queued> c = queuedConnections;
        List<Queued> h = queuedRequests;
        try {
            InetAddress own = http.localAddress();
            c = fromOwnAddress(c, own);
            h = fromOwnAddress(h, own);
            if (c.isEmpty() && h.isEmpty()) {
                return;
            }
            HttpPoster.Reply response = http.post(token, BatchJson.batch(json(c), json(h)));
            if (response.status() == 202) {
                sent.addAndGet(c.size() + h.size());
                problem(null);
            } else if (response.status() >= 500) {
                requeue(c, h);
                problem("the gateway could not take a batch (" + response.status() + "): "
                        + response.body().strip() + "; retrying");
            } else {
                dropped.addAndGet(c.size() + h.size());
                problem("the gateway refused a batch (" + response.status() + "): " + response.body().strip()
                        + (response.status() == 401 || response.status() == 403
                                ? "; check --token (an 'agent' token) and that this runner reaches the gateway from"
                                        + " its own address" : ""));
            }
        } catch (IOException | RuntimeException e) {
            requeue(c, h);
            problem("cannot reach the gateway at " + endpoint + " (" + e + "); retrying");
        }
    }

    private List<Queued> fromOwnAddress(List<Queued> records, InetAddress own) {
        List<Queued> kept = new ArrayList<>(records.size());
        for (Queued q : records) {
            if (q.source() == null || q.source().equals(own)) {
                kept.add(q);
            } else {
                otherAddress.incrementAndGet();
                if (!otherAddressLogged) {
                    otherAddressLogged = true;
                    log.accept("connections from " + q.source().getHostAddress() + " are not reported: the gateway"
                            + " takes from this agent only records of " + own.getHostAddress() + ", the address it"
                            + " reaches the gateway from (loopback traffic never passes the gateway; connections of"
                            + " the runner's other addresses, such as its other IP family, are not attributed)."
                            + " Logged once.");
                }
            }
        }
        return kept;
    }

    private static List<byte[]> json(List<Queued> records) {
        List<byte[]> json = new ArrayList<>(records.size());
        for (Queued q : records) {
            json.add(q.json());
        }
        return json;
    }

    /** Puts a failed batch back in front, as far as the bound allows (what does not fit is dropped and counted). */
    private synchronized void requeue(List<Queued> c, List<Queued> h) {
        requeue(connections, c);
        requeue(requests, h);
    }

    private void requeue(ArrayDeque<Queued> queue, List<Queued> batch) {
        for (int i = batch.size() - 1; i >= 0; i--) {
            Queued record = batch.get(i);
            if (queuedBytes + record.json().length > QUEUE_BYTES) {
                dropped.addAndGet(i + 1);
                return;
            }
            queue.addFirst(record);
            queuedBytes += record.json().length;
        }
    }

    /** Logs a problem once when it starts and once when it clears, not per batch. */
    private void problem(String now) {
        if (now != null && !now.equals(lastProblem)) {
            log.accept(now);
        } else if (now == null && lastProblem != null) {
            log.accept("the gateway accepts batches again");
        }
        lastProblem = now;
    }

    /** Sends what is queued (waiting at most a few seconds), then stops. */
    @Override
    public void close() {
        synchronized (this) {
            notifyAll();
        }
        running = false;
        try {
            sender.join(TimeUnit.SECONDS.toMillis(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        List<Queued> c;
        List<Queued> h;
        synchronized (this) {
            c = take(connections);
            h = take(requests);
        }
        if (!c.isEmpty() || !h.isEmpty()) {
            send(c, h);
        }
        http.close();
    }
}
