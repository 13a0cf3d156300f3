package io.tollgate.dns.testing;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;

/** Raw DNS exchanges over plain sockets, for what a library client would hide (truncation, framing, garbage). */
public final class Wire {
    private static final int TIMEOUT_MILLIS = 3000;

    private Wire() {}

    public static Message query(String name, int type) {
        try {
            return Message.newQuery(Record.newRecord(Name.fromString(name, Name.root), type, DClass.IN));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Sends {@code bytes} in one datagram from {@code from} and returns the datagram that comes back. */
    public static byte[] udp(InetAddress from, InetSocketAddress server, byte[] bytes) throws IOException {
        try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress(from, 0))) {
            socket.setSoTimeout(TIMEOUT_MILLIS);
            socket.send(new DatagramPacket(bytes, bytes.length, server));
            DatagramPacket packet = new DatagramPacket(new byte[65_535], 65_535);
            socket.receive(packet);
            return Arrays.copyOf(packet.getData(), packet.getLength());
        }
    }

    public static Message udp(InetAddress from, InetSocketAddress server, Message query) throws IOException {
        return new Message(udp(from, server, query.toWire()));
    }

    /** Sends all queries on one TCP connection, then reads as many length-prefixed answers. */
    public static List<Message> tcp(InetSocketAddress server, List<Message> queries) throws IOException {
        try (Socket socket = new Socket(server.getAddress(), server.getPort())) {
            socket.setSoTimeout(TIMEOUT_MILLIS);
            DataOutputStream out = new DataOutputStream(socket.getOutputStream());
            for (Message query : queries) {
                byte[] wire = query.toWire();
                out.writeShort(wire.length);
                out.write(wire);
            }
            out.flush();
            DataInputStream in = new DataInputStream(socket.getInputStream());
            List<Message> answers = new ArrayList<>();
            for (int i = 0; i < queries.size(); i++) {
                byte[] wire = new byte[in.readUnsignedShort()];
                in.readFully(wire);
                answers.add(new Message(wire));
            }
            return answers;
        }
    }
}
