package io.tollgate.dns.testing;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * A small authoritative DNS server on 127.0.0.1 (UDP and TCP, same port) for the records a test adds. It answers
 * like a real one (CNAME chains within its data, NXDOMAIN and NODATA with an SOA, truncation over UDP) and remembers
 * every question it was asked, so tests can prove that a query never left the gateway.
 */
public final class TinyAuthoritativeServer implements AutoCloseable {
    public static final long NEGATIVE_TTL = 60;
    private static final Name ZONE_APEX = Name.fromConstantString("test.");

    private final Map<Name, List<Record>> records = new ConcurrentHashMap<>();
    private final Queue<String> questions = new ConcurrentLinkedQueue<>();
    private final DatagramSocket udp;
    private final ServerSocket tcp;

    private TinyAuthoritativeServer(ServerSocket tcp, DatagramSocket udp) {
        this.tcp = tcp;
        this.udp = udp;
        Thread.ofVirtual().name("tiny-dns-udp").start(this::serveUdp);
        Thread.ofVirtual().name("tiny-dns-tcp").start(this::serveTcp);
    }

    /** Listens on 127.0.0.1 on a random port free for both UDP and TCP. */
    public static TinyAuthoritativeServer start() throws IOException {
        InetAddress loopback = InetAddress.getLoopbackAddress();
        IOException last = null;
        for (int attempt = 0; attempt < 8; attempt++) {
            ServerSocket tcp = new ServerSocket(0, 50, loopback);
            try {
                return new TinyAuthoritativeServer(tcp,
                        new DatagramSocket(new InetSocketAddress(loopback, tcp.getLocalPort())));
            } catch (IOException e) {
                tcp.close();
                last = e;
            }
        }
        throw last;
    }

    public InetSocketAddress address() {
        return new InetSocketAddress(udp.getLocalAddress(), udp.getLocalPort());
    }

    /** Adds one record in zone-file syntax, {@code name ttl TYPE rdata}: {@code www.a.test. 300 A 192.0.2.1}. */
    public TinyAuthoritativeServer add(String zoneLine) {
        try {
            Record record = parse(zoneLine);
            records.computeIfAbsent(record.getName(), n -> new CopyOnWriteArrayList<>()).add(record);
            return this;
        } catch (IOException e) {
            throw new IllegalArgumentException(zoneLine, e);
        }
    }

    /** The questions received so far, as {@code name TYPE} (lower case, no trailing dot). */
    public List<String> questions() {
        return List.copyOf(questions);
    }

    @Override
    public void close() throws IOException {
        udp.close();
        tcp.close();
    }

    private static Record parse(String zoneLine) throws IOException {
        String[] parts = zoneLine.trim().split("\\s+", 4);
        Name name = Name.fromString(parts[0], Name.root);
        return Record.fromString(name, Type.value(parts[2]), DClass.IN, Long.parseLong(parts[1]), parts[3],
                Name.root);
    }

    private void serveUdp() {
        byte[] buffer = new byte[65_535];
        while (!udp.isClosed()) {
            try {
                DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
                udp.receive(packet);
                Message query = new Message(Arrays.copyOf(packet.getData(), packet.getLength()));
                OPTRecord opt = query.getOPT();
                int limit = opt == null ? 512 : Math.max(512, opt.getPayloadSize());
                byte[] answer = answer(query).toWire(limit);
                udp.send(new DatagramPacket(answer, answer.length, packet.getSocketAddress()));
            } catch (IOException e) {
                // closed, or a malformed packet: keep serving until closed
            }
        }
    }

    private void serveTcp() {
        while (!tcp.isClosed()) {
            try {
                Socket socket = tcp.accept();
                Thread.ofVirtual().start(() -> serveConnection(socket));
            } catch (IOException e) {
                // closed
            }
        }
    }

    private void serveConnection(Socket socket) {
        try (socket; DataInputStream in = new DataInputStream(socket.getInputStream());
                DataOutputStream out = new DataOutputStream(socket.getOutputStream())) {
            while (true) {
                byte[] wire = new byte[in.readUnsignedShort()];
                in.readFully(wire);
                byte[] answer = answer(new Message(wire)).toWire();
                out.writeShort(answer.length);
                out.write(answer);
                out.flush();
            }
        } catch (IOException e) {
            // the client closed the connection
        }
    }

    private Message answer(Message query) {
        Record question = query.getQuestion();
        questions.add(question.getName().toString(true).toLowerCase(Locale.ROOT) + " "
                + Type.string(question.getType()));
        Message response = new Message(query.getHeader().getID());
        response.getHeader().setFlag(Flags.QR);
        response.getHeader().setFlag(Flags.AA);
        response.addRecord(question, Section.QUESTION);
        if (query.getOPT() != null) {
            response.addRecord(new OPTRecord(1232, 0, 0), Section.ADDITIONAL);
        }
        Name current = question.getName();
        for (int link = 0; link < 10; link++) {
            List<Record> here = records.getOrDefault(current, List.of());
            if (here.isEmpty()) {
                response.getHeader().setRcode(link == 0 ? Rcode.NXDOMAIN : Rcode.NOERROR);
                response.addRecord(soa(), Section.AUTHORITY);
                return response;
            }
            List<Record> cnames = here.stream().filter(r -> r.getType() == Type.CNAME).toList();
            if (!cnames.isEmpty() && question.getType() != Type.CNAME) {
                response.addRecord(cnames.getFirst(), Section.ANSWER);
                current = ((CNAMERecord) cnames.getFirst()).getTarget();
                continue;
            }
            List<Record> matching = new ArrayList<>(here.stream()
                    .filter(r -> r.getType() == question.getType() || question.getType() == Type.ANY).toList());
            if (matching.isEmpty()) {
                response.addRecord(soa(), Section.AUTHORITY);
            }
            matching.forEach(r -> response.addRecord(r, Section.ANSWER));
            return response;
        }
        return response;
    }

    private static SOARecord soa() {
        return new SOARecord(ZONE_APEX, DClass.IN, 300, Name.fromConstantString("ns.test."),
                Name.fromConstantString("hostmaster.test."), 1, 3600, 600, 86400, NEGATIVE_TTL);
    }
}
