package io.tollgate.bench.macro;

import io.tollgate.testbed.Topology;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A path's share of each connection's setup, from a capture in the middlebox's namespace (tcpdump {@code -i any -nn
 * -tt} text), in milliseconds per connection:
 * <ul>
 *   <li>{@code through}: the runner's ClientHello arrives → the server's first bytes leave for the runner; the only step the direct route (no middlebox, the namespace routes) has too;</li>
 *   <li>{@code decision}: the runner's ClientHello arrives → the middlebox's SYN to the server leaves (reading and
 *       deciding, then opening its own connection);</li>
 *   <li>{@code firstBytes}: the server's SYN-ACK arrives → the ClientHello leaves for the server;</li>
 *   <li>{@code server}: the ClientHello leaves → the server's first bytes arrive: the server's work, which a
 *       middlebox slows when it takes the core the server would run on;</li>
 *   <li>{@code answer}: the server's first bytes arrive → they leave for the runner.</li>
 * </ul>
 * The runner side is recognised by the runner's address and the direction (arriving from it, leaving for it: on the
 * direct route the same packets also leave for and arrive from the server on the other interface), the server side by
 * the middlebox's upstream address. Interfaces are not told apart by name: tcpdump names them by index, and in the
 * namespace that reads the capture another interface may have that index. Each upstream connection is paired with the runner connection whose ClientHello came
 * last before its SYN, which is right for connections made one after the other (the latency workload), not for
 * concurrent ones.
 */
record SetupSteps(List<Double> through, List<Double> decision, List<Double> firstBytes, List<Double> server,
        List<Double> answer) {
    private static final Pattern PACKET = Pattern.compile(
            "^(\\d+\\.\\d+) \\S+\\s+(In|Out)\\s+IP (\\S+) > (\\S+): Flags \\[([^]]+)].*length (\\d+)");
    private static final String RUNNER = Topology.RUNNER_IP + ".";
    private static final String UPSTREAM = Topology.GATEWAY_UPSTREAM_IP + ".";

    /** Times (seconds) of one TCP connection's packets; NaN until seen. */
    private static final class Connection {
        double syn = Double.NaN;
        double synAck = Double.NaN;
        double firstOut = Double.NaN;
        double firstIn = Double.NaN;
    }

    static SetupSteps of(List<String> tcpdumpLines) {
        Connections runner = new Connections();
        Connections upstream = new Connections();
        for (String line : tcpdumpLines) {
            Matcher m = PACKET.matcher(line);
            if (!m.find()) {
                continue;
            }
            double t = Double.parseDouble(m.group(1));
            boolean in = m.group(2).equals("In");
            String from = m.group(3);
            String to = m.group(4);
            String flags = m.group(5);
            boolean data = Integer.parseInt(m.group(6)) > 0;
            if (in && from.startsWith(RUNNER)) {
                runner.fromClient(from, flags, data, t);
            } else if (!in && to.startsWith(RUNNER)) {
                runner.toClient(to, flags, data, t);
            } else if (from.startsWith(UPSTREAM)) {
                upstream.fromClient(from, flags, data, t);
            } else if (to.startsWith(UPSTREAM)) {
                upstream.toClient(to, flags, data, t);
            }
        }
        return pair(runner.all, upstream.all);
    }

    /**
     * The connections of one side, keyed by the client's address and port while they last: a SYN from a port starts a
     * new connection (ports are reused), and packets of a connection whose SYN the capture missed are ignored.
     */
    private static final class Connections {
        final List<Connection> all = new ArrayList<>();
        final Map<String, Connection> current = new HashMap<>();

        void fromClient(String client, String flags, boolean data, double t) {
            if (flags.equals("S")) {
                Connection c = new Connection();
                c.syn = t;
                all.add(c);
                current.put(client, c);
                return;
            }
            Connection c = current.get(client);
            if (c != null && data && Double.isNaN(c.firstOut)) {
                c.firstOut = t;
            }
        }

        void toClient(String client, String flags, boolean data, double t) {
            Connection c = current.get(client);
            if (c == null) {
                return;
            }
            if (flags.equals("S.") && Double.isNaN(c.synAck)) {
                c.synAck = t;
            } else if (data && Double.isNaN(c.firstIn)) {
                c.firstIn = t;
            }
        }
    }

    private static SetupSteps pair(Iterable<Connection> runnerSide, Iterable<Connection> upstreamSide) {
        List<Connection> hellos = new ArrayList<>();
        runnerSide.forEach(c -> {
            if (!Double.isNaN(c.firstOut)) {
                hellos.add(c);
            }
        });
        hellos.sort(Comparator.comparingDouble(c -> c.firstOut));
        List<Double> through = new ArrayList<>();
        hellos.forEach(c -> add(through, c.firstIn - c.firstOut));
        List<Double> decision = new ArrayList<>();
        List<Double> firstBytes = new ArrayList<>();
        List<Double> server = new ArrayList<>();
        List<Double> answer = new ArrayList<>();
        for (Connection up : upstreamSide) {
            Connection client = lastHelloBefore(hellos, up.syn);
            if (client == null) {
                continue;
            }
            add(decision, up.syn - client.firstOut);
            add(firstBytes, up.firstOut - up.synAck);
            add(server, up.firstIn - up.firstOut);
            add(answer, client.firstIn - up.firstIn);
        }
        return new SetupSteps(through, decision, firstBytes, server, answer);
    }

    private static Connection lastHelloBefore(List<Connection> hellos, double t) {
        Connection found = null;
        int lo = 0;
        int hi = hellos.size() - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            if (hellos.get(mid).firstOut <= t) {
                found = hellos.get(mid);
                lo = mid + 1;
            } else {
                hi = mid - 1;
            }
        }
        return found;
    }

    private static void add(List<Double> into, double seconds) {
        if (!Double.isNaN(seconds) && seconds >= 0) {
            into.add(seconds * 1000);
        }
    }

    /** The steps of this capture and {@code other}'s together. */
    SetupSteps plus(SetupSteps other) {
        return new SetupSteps(concat(through, other.through), concat(decision, other.decision),
                concat(firstBytes, other.firstBytes), concat(server, other.server), concat(answer, other.answer));
    }

    private static List<Double> concat(List<Double> a, List<Double> b) {
        List<Double> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }
}
