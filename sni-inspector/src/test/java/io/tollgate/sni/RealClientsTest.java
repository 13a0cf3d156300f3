package io.tollgate.sni;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.tollgate.sni.Inspection.HttpHead;
import io.tollgate.sni.Inspection.TlsHello;
import io.tollgate.sni.LoopbackCapture.Captured;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import org.junit.jupiter.api.Test;

/** Round trips against ClientHellos and request heads produced by real clients at test time, on 127.0.0.1 only. */
class RealClientsTest {

    private static final int TLS13 = 0x0304;

    private static ClientHello helloOf(Inspection inspection) {
        assertThat(inspection).isInstanceOf(TlsHello.class);
        return ((TlsHello) inspection).hello();
    }

    private static HttpRequestHead headOf(Inspection inspection) {
        assertThat(inspection).isInstanceOf(HttpHead.class);
        return ((HttpHead) inspection).head();
    }

    private static byte[] jdkClientHello() throws Exception {
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, null, null);
        SSLEngine engine = context.createSSLEngine("jdk.example.test", 443);
        engine.setUseClientMode(true);
        SSLParameters parameters = engine.getSSLParameters();
        parameters.setServerNames(List.of(new SNIHostName("jdk.example.test")));
        parameters.setApplicationProtocols(new String[] {"h2", "http/1.1"});
        engine.setSSLParameters(parameters);
        ByteBuffer out = ByteBuffer.allocate(engine.getSession().getPacketBufferSize());
        engine.wrap(ByteBuffer.allocate(0), out);
        return Arrays.copyOf(out.array(), out.position());
    }

    @Test
    void readsTheJdkSslEngineClientHello() throws Exception {
        byte[] records = jdkClientHello();

        ClientHello hello = helloOf(Feeder.bytewise(new FirstBytesInspector()::offer, records));

        assertThat(hello.serverName()).isEqualTo("jdk.example.test");
        assertThat(hello.alpnProtocols()).containsExactly("h2", "http/1.1");
        assertThat(hello.supportedVersions()).contains(TLS13);
        assertThat(hello.legacyVersion()).isEqualTo(0x0303);
        assertThat(hello.handshakeLength()).isEqualTo(TlsRecords.handshakeMessage(records).length - 4);
    }

    @Test
    void readsARealClientHelloReframedIntoRecordsOfEverySizeFromOneTo64() throws Exception {
        byte[] message = TlsRecords.handshakeMessage(jdkClientHello());
        Inspection expected = Feeder.whole(new ClientHelloParser()::offer, TlsRecords.frame(message));

        for (int size = 1; size <= 64; size++) {
            byte[] records = TlsRecords.frame(message, List.of(size));
            assertThat(Feeder.chunked(new ClientHelloParser()::offer, records, List.of(size + 3)))
                    .as("records of %d bytes", size).isEqualTo(expected);
        }
        assertThat(helloOf(expected).serverName()).isEqualTo("jdk.example.test");
    }

    @Test
    void readsTheOpensslSClientClientHello() throws Exception {
        assumeTrue(LoopbackCapture.onPath("openssl"), "openssl is not installed: skipping the s_client round trip");

        Captured captured = LoopbackCapture.capture(port -> List.of("openssl", "s_client",
                "-connect", "127.0.0.1:" + port, "-servername", "example.test", "-alpn", "h2,http/1.1"));

        ClientHello hello = helloOf(captured.inspection());
        assertThat(hello.serverName()).isEqualTo("example.test");
        assertThat(hello.alpnProtocols()).containsExactly("h2", "http/1.1");
        assertThat(hello.supportedVersions()).contains(TLS13);
        assertThat(Feeder.bytewise(new ClientHelloParser()::offer, captured.bytes())).isEqualTo(captured.inspection());
    }

    @Test
    void readsTheCurlClientHello() throws Exception {
        assumeTrue(LoopbackCapture.onPath("curl"), "curl is not installed: skipping the HTTPS round trip");

        Captured captured = LoopbackCapture.capture(port -> List.of("curl", "-sk", "-m", "10", "--noproxy", "*",
                "https://sni-test.example:" + port + "/", "--resolve", "sni-test.example:" + port + ":127.0.0.1"));

        ClientHello hello = helloOf(captured.inspection());
        assertThat(hello.serverName()).isEqualTo("sni-test.example");
        assertThat(hello.alpnProtocols()).contains("http/1.1");
        assertThat(hello.supportedVersions()).contains(TLS13);
        assertThat(hello.encryptedClientHello()).isFalse();
    }

    @Test
    void readsTheCurlRequestHead() throws Exception {
        assumeTrue(LoopbackCapture.onPath("curl"), "curl is not installed: skipping the HTTP round trip");

        Captured captured = LoopbackCapture.capture(port -> List.of("curl", "-s", "-m", "10", "--noproxy", "*",
                "http://sni-test.example:" + port + "/some/path?q=1", "--resolve", "sni-test.example:" + port + ":127.0.0.1"));

        HttpRequestHead head = headOf(captured.inspection());
        assertThat(head.method()).isEqualTo("GET");
        assertThat(head.target()).isEqualTo("/some/path?q=1");
        assertThat(head.host()).isEqualTo("sni-test.example");
        assertThat(head.port()).isEqualTo(captured.port());
        assertThat(head.version()).isEqualTo("HTTP/1.1");
        assertThat(head.headLength()).isEqualTo(captured.bytes().length);
    }

    @Test
    void readsTheAbsoluteFormTargetCurlSendsToAProxy() throws Exception {
        assumeTrue(LoopbackCapture.onPath("curl"), "curl is not installed: skipping the proxy round trip");

        Captured captured = LoopbackCapture.capture(port -> List.of("curl", "-s", "-m", "10",
                "-x", "http://127.0.0.1:" + port, "http://proxied.example:8080/x"));

        HttpRequestHead head = headOf(captured.inspection());
        assertThat(head.target()).isEqualTo("http://proxied.example:8080/x");
        assertThat(head.host()).isEqualTo("proxied.example");
        assertThat(head.port()).isEqualTo(8080);
    }

    @Test
    void readsTheConnectRequestCurlSendsToATunnellingProxy() throws Exception {
        assumeTrue(LoopbackCapture.onPath("curl"), "curl is not installed: skipping the CONNECT round trip");

        Captured captured = LoopbackCapture.capture(port -> List.of("curl", "-s", "-m", "10", "-p",
                "-x", "http://127.0.0.1:" + port, "https://tunnel.example/"));

        HttpRequestHead head = headOf(captured.inspection());
        assertThat(head.method()).isEqualTo("CONNECT");
        assertThat(head.host()).isEqualTo("tunnel.example");
        assertThat(head.port()).isEqualTo(443);
    }
}
