package io.tollgate.sni;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class ParserFootprintTest {

    @Test
    void parsersRetainOnlyOffsetsAndTheirVerdictBetweenCalls() {
        assertThat(instanceFieldTypes(ClientHelloParser.class)).allMatch(t -> t.isPrimitive() || t == Inspection.class);
        assertThat(instanceFieldTypes(HttpRequestHeadParser.class))
                .allMatch(t -> t.isPrimitive() || t == Inspection.class || t == RequestLine.class);
        assertThat(instanceFieldTypes(FirstBytesInspector.class))
                .containsOnly(ClientHelloParser.class, HttpRequestHeadParser.class, Inspection.class);
    }

    @Test
    void feedingAMaximalHelloOneByteAtATimeTakesLinearTime() {
        // A ~64 KiB hello in 1-byte records is ~390 KB on the wire: quadratic rescanning would take minutes.
        byte[] padding = new byte[ClientHelloParser.DEFAULT_MAX_HELLO_BYTES - 200];
        byte[] message = ClientHelloBuilder.hello().serverName("big.example").extension(0x0015, padding).build();
        byte[] records = TlsRecords.frame(message, List.of(1));

        Inspection inspection = assertTimeoutPreemptively(Duration.ofSeconds(20),
                () -> Feeder.bytewise(new ClientHelloParser()::offer, records));

        assertThat(inspection).isInstanceOfSatisfying(Inspection.TlsHello.class,
                tls -> assertThat(tls.hello().serverName()).isEqualTo("big.example"));
    }

    @Test
    void feedingAMaximalHeadOneByteAtATimeTakesLinearTime() {
        String head = "GET / HTTP/1.1\r\nHost: big.example\r\nX: " + "a".repeat(16_000) + "\r\n\r\n";
        byte[] bytes = head.getBytes(StandardCharsets.US_ASCII);

        Inspection inspection = assertTimeoutPreemptively(Duration.ofSeconds(10),
                () -> Feeder.bytewise(new HttpRequestHeadParser()::offer, bytes));

        assertThat(inspection).isInstanceOf(Inspection.HttpHead.class);
    }

    private static List<Class<?>> instanceFieldTypes(Class<?> type) {
        return Arrays.stream(type.getDeclaredFields())
                .filter(f -> !Modifier.isStatic(f.getModifiers()))
                .<Class<?>>map(Field::getType)
                .toList();
    }
}
