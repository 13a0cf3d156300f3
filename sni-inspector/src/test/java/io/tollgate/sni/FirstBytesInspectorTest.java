package io.tollgate.sni;

import static org.assertj.core.api.Assertions.assertThat;

import io.tollgate.sni.Inspection.HttpHead;
import io.tollgate.sni.Inspection.NeedMore;
import io.tollgate.sni.Inspection.TlsHello;
import io.tollgate.sni.Inspection.Unrecognized;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class FirstBytesInspectorTest {

    private static Inspection inspect(byte[] bytes) {
        return Feeder.bytewise(new FirstBytesInspector()::offer, bytes);
    }

    @Test
    void needsMoreWhileNothingHasArrived() {
        assertThat(new FirstBytesInspector().offer(ByteBuffer.allocate(0))).isSameAs(NeedMore.INSTANCE);
    }

    @Test
    void recognisesATlsClientHello() {
        byte[] records = TlsRecords.frame(ClientHelloBuilder.hello().serverName("tls.example").build());

        assertThat(inspect(records)).isInstanceOfSatisfying(TlsHello.class,
                tls -> assertThat(tls.hello().serverName()).isEqualTo("tls.example"));
    }

    @Test
    void recognisesAnHttpRequestHead() {
        byte[] head = "GET / HTTP/1.1\r\nHost: http.example\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

        assertThat(inspect(head)).isInstanceOfSatisfying(HttpHead.class,
                http -> assertThat(http.head().host()).isEqualTo("http.example"));
    }

    @Test
    void callsSshUnrecognized() {
        assertThat(inspect("SSH-2.0-OpenSSH_9.6\r\n".getBytes(StandardCharsets.US_ASCII))).isInstanceOf(Unrecognized.class);
    }

    @Test
    void callsBinaryDataUnrecognizedFromItsFirstByte() {
        assertThat(new FirstBytesInspector().offer(ByteBuffer.wrap(new byte[] {0x00})))
                .isEqualTo(new Unrecognized("first byte 0x00 starts neither TLS nor HTTP"));
    }

    @Test
    void namesAnSslv2Hello() {
        assertThat(inspect(new byte[] {(byte) 0x80, 0x2e, 0x01, 0x03, 0x01})).isEqualTo(new Unrecognized("sslv2 hello"));
    }
}
