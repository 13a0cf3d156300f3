package io.tollgate.dns.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.EpollIoHandler;
import io.tollgate.dns.testing.Wire;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

class DnsServerTest {
    private static final InetSocketAddress ANY_LOOPBACK_PORT = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
    private static final QueryHandler ANSWERS_WITH_CLIENT_ADDRESS = (source, query, tcp) -> {
        Message response = DnsResponses.withRcode(query, Rcode.NOERROR);
        response.addRecord(new ARecord(query.getQuestion().getName(), DClass.IN, 60, source.getAddress()), Section.ANSWER);
        return CompletableFuture.completedFuture(response);
    };

    private EventLoopGroup group;

    @BeforeEach
    void startGroup() {
        group = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
    }

    @AfterEach
    void stopGroup() {
        group.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS).syncUninterruptibly();
    }

    @Test
    void udpAndTcpShareOnePortAndTheHandlerSeesTheClientAddress() throws IOException {
        try (DnsServer server = DnsServer.start(group, ANY_LOOPBACK_PORT, ANSWERS_WITH_CLIENT_ADDRESS)) {
            assertThat(server.tcpAddress().getPort()).isEqualTo(server.udpAddress().getPort());

            Message answer = Wire.udp(InetAddress.ofLiteral("127.0.0.9"), server.udpAddress(),
                    Wire.query("who.example.com", Type.A));

            assertThat(answer.getSection(Section.ANSWER).getFirst().rdataToString()).isEqualTo("127.0.0.9");
        }
    }

    @Test
    void tcpQuerySplitAcrossSegmentsIsReassembled() throws Exception {
        try (DnsServer server = DnsServer.start(group, ANY_LOOPBACK_PORT, ANSWERS_WITH_CLIENT_ADDRESS);
                Socket socket = new Socket(server.tcpAddress().getAddress(), server.tcpAddress().getPort())) {
            socket.setSoTimeout(3000);
            socket.setTcpNoDelay(true);
            byte[] query = Wire.query("split.example.com", Type.A).toWire();
            OutputStream out = socket.getOutputStream();
            out.write(query.length >> 8);
            out.flush();
            Thread.sleep(50);
            out.write(query.length & 0xFF);
            out.write(query, 0, 5);
            out.flush();
            Thread.sleep(50);
            out.write(query, 5, query.length - 5);
            out.flush();

            DataInputStream in = new DataInputStream(socket.getInputStream());
            byte[] answer = new byte[in.readUnsignedShort()];
            in.readFully(answer);

            assertThat(new Message(answer).getSection(Section.ANSWER)).hasSize(1);
        }
    }

    @Test
    void idleTcpConnectionIsClosed() throws IOException {
        try (DnsServer server = DnsServer.start(group, ANY_LOOPBACK_PORT, ANSWERS_WITH_CLIENT_ADDRESS,
                Duration.ofMillis(200));
                Socket socket = new Socket(server.tcpAddress().getAddress(), server.tcpAddress().getPort())) {
            socket.setSoTimeout(3000);

            assertThat(socket.getInputStream().read()).as("end of stream").isEqualTo(-1);
        }
    }

    @Test
    void portInUseIsReportedClearly() throws IOException {
        try (DnsServer first = DnsServer.start(group, ANY_LOOPBACK_PORT, ANSWERS_WITH_CLIENT_ADDRESS)) {
            assertThatThrownBy(() -> DnsServer.start(group, first.udpAddress(), ANSWERS_WITH_CLIENT_ADDRESS))
                    .isInstanceOf(IOException.class)
                    .hasMessageContaining("cannot listen for DNS over TCP on " + first.udpAddress());
        }
    }
}
