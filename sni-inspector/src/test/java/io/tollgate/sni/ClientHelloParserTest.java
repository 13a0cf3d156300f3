package io.tollgate.sni;

import static io.tollgate.sni.ClientHelloBuilder.concat;
import static io.tollgate.sni.ClientHelloBuilder.hello;
import static org.assertj.core.api.Assertions.assertThat;

import io.tollgate.sni.Inspection.Malformed;
import io.tollgate.sni.Inspection.NeedMore;
import io.tollgate.sni.Inspection.TlsHello;
import io.tollgate.sni.Inspection.Unrecognized;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class ClientHelloParserTest {

    private static Inspection parseWhole(byte[] records) {
        return Feeder.whole(new ClientHelloParser()::offer, records);
    }

    private static ClientHello helloOf(Inspection inspection) {
        assertThat(inspection).isInstanceOf(TlsHello.class);
        return ((TlsHello) inspection).hello();
    }

    private static byte[] typicalHello() {
        return hello().serverName("www.Example.COM.").alpn("h2", "http/1.1").supportedVersions(0x0304, 0x0303).build();
    }

    @Test
    void reportsServerNameAlpnAndVersions() {
        ClientHello hello = helloOf(parseWhole(TlsRecords.frame(typicalHello())));

        assertThat(hello.serverName()).isEqualTo("www.example.com");
        assertThat(hello.alpnProtocols()).containsExactly("h2", "http/1.1");
        assertThat(hello.supportedVersions()).containsExactly(0x0304, 0x0303);
        assertThat(hello.legacyVersion()).isEqualTo(0x0303);
        assertThat(hello.encryptedClientHello()).isFalse();
        assertThat(hello.handshakeLength()).isEqualTo(typicalHello().length - 4);
    }

    @Test
    void reportsNullServerNameAndEmptyListsWhenExtensionsAreAbsent() {
        ClientHello hello = helloOf(parseWhole(TlsRecords.frame(hello().build())));

        assertThat(hello.serverName()).isNull();
        assertThat(hello.alpnProtocols()).isEmpty();
        assertThat(hello.supportedVersions()).isEmpty();
    }

    @Test
    void acceptsAnOldStyleHelloWithNoExtensionsBlockAtAll() {
        ClientHello hello = helloOf(parseWhole(TlsRecords.frame(hello().withoutExtensions().build())));

        assertThat(hello.serverName()).isNull();
    }

    @Test
    void dropsGreaseFromVersionsAlpnAndExtensionTypes() {
        byte[] message = hello().extension(0x3a3a, new byte[0]).serverName("grease.test")
                .alpn("\u00da\u00da", "h2").supportedVersions(0x8a8a, 0x0304).extension(0xfafa, new byte[] {0}).build();

        ClientHello hello = helloOf(parseWhole(TlsRecords.frame(message)));

        assertThat(hello.serverName()).isEqualTo("grease.test");
        assertThat(hello.alpnProtocols()).containsExactly("h2");
        assertThat(hello.supportedVersions()).containsExactly(0x0304);
    }

    @Test
    void flagsEncryptedClientHelloAndKeepsTheOuterName() {
        byte[] message = hello().serverName("public.example").encryptedClientHello().build();

        ClientHello hello = helloOf(parseWhole(TlsRecords.frame(message)));

        assertThat(hello.encryptedClientHello()).isTrue();
        assertThat(hello.serverName()).isEqualTo("public.example");
    }

    @Test
    void skipsServerNameEntriesOfOtherTypes() {
        byte[] entries = concat(new byte[] {1}, ClientHelloBuilder.vector16(new byte[] {9, 9}),
                new byte[] {0}, ClientHelloBuilder.vector16("only.host".getBytes(StandardCharsets.US_ASCII)));
        byte[] message = hello().extension(0, ClientHelloBuilder.vector16(entries)).build();

        assertThat(helloOf(parseWhole(TlsRecords.frame(message))).serverName()).isEqualTo("only.host");
    }

    @Test
    void parsesAHelloFragmentedIntoOneByteRecords() {
        byte[] records = TlsRecords.frame(typicalHello(), List.of(1));

        assertThat(helloOf(parseWhole(records)).serverName()).isEqualTo("www.example.com");
    }

    @Test
    void parsesAHelloFedOneByteAtATimeAcrossUnevenRecords() {
        byte[] records = TlsRecords.frame(typicalHello(), List.of(3, 50, 1, 7));

        Inspection inspection = Feeder.bytewise(new ClientHelloParser()::offer, records);

        assertThat(helloOf(inspection).alpnProtocols()).containsExactly("h2", "http/1.1");
    }

    @Test
    void needsMoreForEveryStrictPrefixOfAValidHello() {
        byte[] records = TlsRecords.frame(typicalHello(), List.of(40));
        for (int length = 0; length < records.length; length++) {
            Inspection inspection = new ClientHelloParser().offer(ByteBuffer.wrap(records, 0, length));
            assertThat(inspection).as("prefix of %d bytes", length).isSameAs(NeedMore.INSTANCE);
        }
    }

    @Test
    void decidesAsSoonAsTheMessageIsCompleteWithoutWaitingForTheRestOfTheRecord() {
        byte[] message = typicalHello();
        // The record announces more payload (a following handshake message) than has arrived.
        byte[] header = {22, 3, 1, (byte) ((message.length + 100) >> 8), (byte) (message.length + 100)};

        assertThat(parseWhole(concat(header, message))).isInstanceOf(TlsHello.class);
    }

    @Test
    void ignoresRecordsThatFollowTheHello() {
        byte[] records = concat(TlsRecords.frame(typicalHello()), TlsRecords.record(23, new byte[] {1, 2, 3}));

        assertThat(parseWhole(records)).isInstanceOf(TlsHello.class);
    }

    @Test
    void keepsItsVerdictOnLaterCalls() {
        ClientHelloParser parser = new ClientHelloParser();
        byte[] records = TlsRecords.frame(typicalHello());
        Inspection first = parser.offer(ByteBuffer.wrap(records));

        assertThat(parser.offer(ByteBuffer.wrap(new byte[] {0}))).isSameAs(first);
    }

    @Test
    void callsApplicationDataAnUnrecognizedStream() {
        assertThat(parseWhole(TlsRecords.record(23, new byte[] {1, 2, 3})))
                .isEqualTo(new Unrecognized("record type 23 is not a handshake"));
    }

    @Test
    void callsAnSslv2CompatibleHelloUnrecognized() {
        byte[] sslv2 = {(byte) 0x80, 0x2e, 0x01, 0x03, 0x01, 0x00, 0x15};

        assertThat(parseWhole(sslv2)).isEqualTo(new Unrecognized("sslv2 hello"));
    }

    @Test
    void rejectsANonHandshakeRecordInTheMiddleOfTheHello() {
        byte[] records = TlsRecords.frame(typicalHello(), List.of(20));
        records[25] = 21;

        assertThat(parseWhole(records)).isEqualTo(new Malformed("tls", "record type 21 interrupts the ClientHello"));
    }

    @Test
    void rejectsAHandshakeMessageThatIsNotAClientHello() {
        byte[] serverHello = ClientHelloBuilder.handshake(2, new byte[40]);

        assertThat(parseWhole(TlsRecords.frame(serverHello)))
                .isEqualTo(new Malformed("tls", "handshake type 2 is not a ClientHello"));
    }

    @Test
    void rejectsAHelloOverTheDefaultCapFromItsHeaderAlone() {
        byte[] header = {22, 3, 1, 0x40, 0x00, 1, 0x01, 0x00, 0x01};

        assertThat(parseWhole(header)).isEqualTo(new Malformed("tls", "ClientHello exceeds 65536 bytes"));
    }

    @Test
    void appliesAConfiguredCap() {
        byte[] records = TlsRecords.frame(typicalHello());

        assertThat(Feeder.whole(new ClientHelloParser(32)::offer, records))
                .isEqualTo(new Malformed("tls", "ClientHello exceeds 32 bytes"));
    }

    @Test
    void rejectsTrailingBytesInsideTheHandshakeMessage() {
        byte[] message = hello().serverName("a.test").trailing(new byte[] {0, 0}).build();

        assertThat(parseWhole(TlsRecords.frame(message)))
                .isEqualTo(new Malformed("tls", "2 trailing bytes after the extensions"));
    }

    @Test
    void rejectsAnExtensionLongerThanTheExtensionsBlock() {
        byte[] message = hello().serverName("a.test").build();
        message[message.length - 1 - "a.test".length() - 6] = 0x7f; // high byte of the extension's length

        assertThat(parseWhole(TlsRecords.frame(message)))
                .isEqualTo(new Malformed("tls", "extension 0x0000 overruns its enclosing vector"));
    }

    @Test
    void rejectsAServerNameListThatDoesNotFillItsExtension() {
        byte[] inner = ClientHelloBuilder.vector16(concat(new byte[] {0}, ClientHelloBuilder.vector16("a.test".getBytes(StandardCharsets.US_ASCII))));
        byte[] message = hello().extension(0, concat(inner, new byte[] {0})).build();

        assertThat(parseWhole(TlsRecords.frame(message)))
                .isEqualTo(new Malformed("tls", "extension 0x0000 has trailing bytes"));
    }

    @Test
    void rejectsTwoServerNameExtensions() {
        byte[] message = hello().serverName("allowed.test").serverName("evil.test").build();

        assertThat(parseWhole(TlsRecords.frame(message))).isEqualTo(new Malformed("tls", "duplicate server_name extension"));
    }

    @Test
    void rejectsTwoHostNamesInOneServerNameList() {
        byte[] name = concat(new byte[] {0}, ClientHelloBuilder.vector16("a.test".getBytes(StandardCharsets.US_ASCII)));
        byte[] message = hello().extension(0, ClientHelloBuilder.vector16(concat(name, name))).build();

        assertThat(parseWhole(TlsRecords.frame(message)))
                .isEqualTo(new Malformed("tls", "more than one host_name in server_name"));
    }

    @Test
    void rejectsANonAsciiServerName() {
        byte[] message = hello().serverName("bücher.example").build();

        assertThat(parseWhole(TlsRecords.frame(message))).isEqualTo(new Malformed("tls", "SNI hostname is not ASCII"));
    }

    @Test
    void rejectsServerNamesThatAreNotDnsNames() {
        for (String bad : List.of("a..b", ".a", "a b", "a/b", "", "..", "a\u0000b", "x".repeat(64) + ".test")) {
            byte[] message = hello().serverName(bad).build();
            assertThat(parseWhole(TlsRecords.frame(message))).as(bad).isInstanceOf(Malformed.class);
        }
    }

    @Test
    void rejectsAnEmptyAlpnProtocolName() {
        byte[] message = hello().alpn("h2", "").build();

        assertThat(parseWhole(TlsRecords.frame(message))).isEqualTo(new Malformed("tls", "ALPN protocol name is empty"));
    }

    @Test
    void rejectsAnOddLengthCipherSuiteList() {
        byte[] message = hello().build();
        byte[] odd = Arrays.copyOf(message, message.length);
        int suitesLength = 4 + 2 + 32 + 1 + 32;
        odd[suitesLength + 1] = 5;

        assertThat(parseWhole(TlsRecords.frame(odd)))
                .isEqualTo(new Malformed("tls", "cipher_suites length 5 is not a positive even number"));
    }

    @Test
    void rejectsEmptyAndOversizedRecords() {
        assertThat(parseWhole(new byte[] {22, 3, 1, 0, 0})).isEqualTo(new Malformed("tls", "empty handshake record"));
        assertThat(parseWhole(new byte[] {22, 3, 1, 0x40, 0x01})).isEqualTo(new Malformed("tls", "record length 16385 exceeds 16384"));
    }

    @Test
    void callsAHandshakeTypeByteWithoutTlsVersionUnrecognized() {
        assertThat(parseWhole(new byte[] {22, 7, 7})).isInstanceOf(Unrecognized.class);
    }

    @Test
    void rejectsASessionIdLongerThan32Bytes() {
        byte[] message = hello().sessionId(new byte[33]).build();

        assertThat(parseWhole(TlsRecords.frame(message))).isEqualTo(new Malformed("tls", "session id is 33 bytes, more than 32"));
    }

    @Test
    void rejectsTwoAlpnExtensions() {
        byte[] message = hello().alpn("h2").alpn("http/1.1").build();

        assertThat(parseWhole(TlsRecords.frame(message)))
                .isEqualTo(new Malformed("tls", "duplicate application_layer_protocol_negotiation extension"));
    }

    @Test
    void rejectsAnOddLengthSupportedVersionsList() {
        byte[] message = hello().extension(0x002b, new byte[] {3, 3, 4, 3}).build();

        assertThat(parseWhole(TlsRecords.frame(message)))
                .isEqualTo(new Malformed("tls", "supported_versions length 3 is not a positive even number"));
    }

    @Test
    void callsOtherHighBitBytesUnrecognizedWithoutCallingThemSslv2() {
        assertThat(parseWhole(new byte[] {(byte) 0xff, 0x00, 0x05}))
                .isEqualTo(new Unrecognized("first byte 0xff is not a TLS record type"));
    }
}
