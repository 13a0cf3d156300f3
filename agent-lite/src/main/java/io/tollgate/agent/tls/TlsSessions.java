package io.tollgate.agent.tls;

import io.tollgate.agent.bpf.KernelRecord;
import io.tollgate.agent.bpf.Tuple;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The TLS sessions of the watched processes, keyed by process and session pointer: which protocol each speaks,
 * its HTTP/2 decoder state, and its socket once a {@code TlsSocket} record named it. A request found before its
 * socket is known waits a bounded time for it. Bounded in sessions; used by the agent's one polling thread.
 */
public final class TlsSessions {
    /** A request found in a session, with the session's socket when known. */
    public record Found(int pid, Tuple tuple, RequestHead head) {}

    /**
     * Written out: a record's generated equals and hashCode are bootstrapped at their first call through
     * {@code ObjectMethods}, which spins ~40 method-handle classes (~0.3 MiB of metaspace) in the agent.
     */
    private record Key(int pid, long session) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && k.pid == pid && k.session == session;
        }

        @Override
        public int hashCode() {
            return 31 * pid + Long.hashCode(session);
        }
    }

    private record Waiting(RequestHead head, long sinceNanos) {}

    private static final int MAX_SESSIONS = 4_096;
    private static final int MAX_WAITING = 64;

    private static final class Session {
        Tuple tuple;
        Http2Requests http2;
        Http1Requests http1;
        final List<Waiting> waiting = new ArrayList<>();
    }

    private final long waitNanos;
    private final LinkedHashMap<Key, Session> sessions = new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Key, Session> eldest) {
            return size() > MAX_SESSIONS;
        }
    };

    /** {@code waitNanos}: how long a request waits for its session's socket before it is reported without. */
    public TlsSessions(long waitNanos) {
        this.waitNanos = waitNanos;
    }

    /** Parses a write; returns requests ready to report (their socket known). */
    public List<Found> write(KernelRecord.TlsWrite write, long nowNanos) {
        Session s = sessions.computeIfAbsent(new Key(write.pid(), write.session()), k -> new Session());
        List<RequestHead> heads = new ArrayList<>();
        if (Http2Requests.startsWithPreface(write.data())) {
            s.http2 = new Http2Requests(); // also a new connection on a session pointer the process reused
            s.http1 = null;
        } else if (s.http2 == null && s.http1 == null) {
            s.http1 = new Http1Requests();
        }
        if (s.http2 != null) {
            heads.addAll(s.http2.write(write.data(), write.totalLength(), write.h2Tail()));
        } else {
            s.http1.write(write.data(), write.totalLength()).ifPresent(heads::add);
        }
        return ready(s, write.pid(), heads, nowNanos);
    }

    /** A header block frame that lay past the capture of the session's last write; returns requests ready to report. */
    public List<Found> h2Frame(KernelRecord.H2Frame frame, long nowNanos) {
        Session s = sessions.get(new Key(frame.pid(), frame.session()));
        if (s == null || s.http2 == null) {
            return List.of();
        }
        return ready(s, frame.pid(), s.http2.frame(frame.frame()), nowNanos);
    }

    private static List<Found> ready(Session s, int pid, List<RequestHead> heads, long nowNanos) {
        List<Found> ready = new ArrayList<>();
        for (RequestHead head : heads) {
            if (s.tuple != null) {
                ready.add(new Found(pid, s.tuple, head));
            } else if (s.waiting.size() < MAX_WAITING) {
                s.waiting.add(new Waiting(head, nowNanos));
            }
        }
        return ready;
    }

    /** Names a session's socket; returns the requests that waited for it. */
    public List<Found> socket(KernelRecord.TlsSocket socket) {
        Session s = sessions.computeIfAbsent(new Key(socket.pid(), socket.session()), k -> new Session());
        s.tuple = socket.tuple();
        List<Found> ready = new ArrayList<>();
        for (Waiting w : s.waiting) {
            ready.add(new Found(socket.pid(), s.tuple, w.head()));
        }
        s.waiting.clear();
        return ready;
    }

    /** Requests that waited longer than the bound, reported without a socket. */
    public List<Found> expired(long nowNanos) {
        List<Found> late = new ArrayList<>();
        for (Map.Entry<Key, Session> e : sessions.entrySet()) {
            Iterator<Waiting> it = e.getValue().waiting.iterator();
            while (it.hasNext()) {
                Waiting w = it.next();
                if (nowNanos - w.sinceNanos() >= waitNanos) {
                    late.add(new Found(e.getKey().pid(), null, w.head()));
                    it.remove();
                }
            }
        }
        return late;
    }

    /** Forgets the sessions of an exited process (their waiting requests are reported without a socket). */
    public List<Found> exited(int pid) {
        List<Found> late = new ArrayList<>();
        sessions.entrySet().removeIf(e -> {
            if (e.getKey().pid() != pid) {
                return false;
            }
            e.getValue().waiting.forEach(w -> late.add(new Found(pid, null, w.head())));
            return true;
        });
        return late;
    }

    public int size() {
        return sessions.size();
    }
}
