package io.tollgate.sni;

import static org.assertj.core.api.Assertions.assertThat;

import io.tollgate.sni.Inspection.NeedMore;
import io.tollgate.sni.Inspection.TlsHello;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import java.util.function.Supplier;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.Tuple.Tuple2;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

class ClientHelloPropertiesTest {

    /** A ClientHello as generated, together with what the parser must report for it. */
    record GeneratedHello(byte[] message, ClientHello expected) {
        @Override
        public String toString() {
            return expected + " (" + message.length + " bytes)";
        }
    }

    @Property
    void validHelloParsesToItsFieldsInAnyRecordFramingAndChunking(
            @ForAll("hellos") GeneratedHello hello,
            @ForAll @Size(min = 1, max = 8) List<@IntRange(min = 1, max = 400) Integer> fragments,
            @ForAll @Size(min = 1, max = 8) List<@IntRange(min = 1, max = 120) Integer> chunks) {
        byte[] records = TlsRecords.frame(hello.message(), fragments);

        Inspection chunked = Feeder.chunked(new ClientHelloParser()::offer, records, chunks);

        assertThat(chunked).isEqualTo(new TlsHello(hello.expected()));
    }

    @Property(tries = 300)
    void everyStrictPrefixOfAValidHelloNeedsMore(@ForAll("hellos") GeneratedHello hello,
                                                 @ForAll @IntRange(min = 1, max = 64) int fragment) {
        byte[] records = TlsRecords.frame(hello.message(), List.of(fragment));
        ClientHelloParser parser = new ClientHelloParser();
        for (int length = 0; length < records.length; length++) {
            assertThat(parser.offer(ByteBuffer.wrap(records, 0, length))).isSameAs(NeedMore.INSTANCE);
        }
        assertThat(parser.offer(ByteBuffer.wrap(records))).isInstanceOf(TlsHello.class);
    }

    @Property
    void mutatedOrTruncatedHellosEndInAnOutcomeAndChunkingDoesNotChangeIt(
            @ForAll("hellos") GeneratedHello hello,
            @ForAll @Size(min = 1, max = 4) List<@IntRange(min = 1, max = 300) Integer> fragments,
            @ForAll @Size(max = 4) List<@IntRange(min = 0, max = 100_000) Integer> mutatedOffsets,
            @ForAll @Size(min = 4, max = 4) byte[] mutatedValues,
            @ForAll @IntRange(min = 0, max = 100) int keepPercent,
            @ForAll @Size(min = 1, max = 6) List<@IntRange(min = 1, max = 50) Integer> chunks) {
        byte[] records = TlsRecords.frame(hello.message(), fragments);
        for (int i = 0; i < mutatedOffsets.size(); i++) {
            records[mutatedOffsets.get(i) % records.length] = mutatedValues[i];
        }
        byte[] bytes = Arrays.copyOf(records, Math.max(1, records.length * keepPercent / 100));

        Inspection whole = Feeder.whole(new ClientHelloParser()::offer, bytes);
        Inspection chunked = Feeder.chunked(new ClientHelloParser()::offer, bytes, chunks);

        assertThat(chunked).isEqualTo(whole);
        Outcomes.assertBounded(whole, ClientHelloParser.DEFAULT_MAX_HELLO_BYTES);
    }

    @Property
    void anyBytesBehindATlsRecordHeaderEndInAnOutcome(
            @ForAll @Size(max = 700) byte[] body,
            @ForAll @IntRange(min = 0, max = 0xffff) int recordLength,
            @ForAll @Size(min = 1, max = 5) List<@IntRange(min = 1, max = 64) Integer> chunks) {
        byte[] bytes = ClientHelloBuilder.concat(new byte[] {22, 3, 1, (byte) (recordLength >> 8), (byte) recordLength, 1}, body);

        Inspection whole = Feeder.whole(new FirstBytesInspector()::offer, bytes);
        Inspection chunked = Feeder.chunked(new FirstBytesInspector()::offer, bytes, chunks);

        assertThat(chunked).isEqualTo(whole);
        Outcomes.assertBounded(whole, ClientHelloParser.DEFAULT_MAX_HELLO_BYTES);
    }

    @Property
    void anyBytesEndInAnOutcomeAndChunkingDoesNotChangeIt(
            @ForAll @Size(max = 300) byte[] bytes,
            @ForAll @Size(min = 1, max = 5) List<@IntRange(min = 1, max = 40) Integer> chunks) {
        assertChunkingDoesNotMatter(() -> new FirstBytesInspector()::offer, bytes, chunks);
        assertChunkingDoesNotMatter(() -> new ClientHelloParser()::offer, bytes, chunks);
        assertChunkingDoesNotMatter(() -> new HttpRequestHeadParser()::offer, bytes, chunks);
    }

    private static void assertChunkingDoesNotMatter(Supplier<Function<ByteBuffer, Inspection>> newParser, byte[] bytes,
                                                    List<Integer> chunks) {
        Inspection whole = Feeder.whole(newParser.get(), bytes);

        assertThat(Feeder.chunked(newParser.get(), bytes, chunks)).isEqualTo(whole);
        Outcomes.assertBounded(whole, HttpRequestHeadParser.DEFAULT_MAX_HEAD_BYTES);
    }

    @Provide
    Arbitrary<GeneratedHello> hellos() {
        Arbitrary<String> label = Arbitraries.strings().withCharRange('a', 'z').withCharRange('0', '9').withChars('-')
                .ofMinLength(1).ofMaxLength(12);
        // (name expected, name sent): sometimes sent upper-cased with a trailing dot.
        Arbitrary<Tuple2<String, String>> serverName = Combinators.combine(
                        label.list().ofMinSize(1).ofMaxSize(4), Arbitraries.of(true, false))
                .as((labels, shout) -> {
                    String name = String.join(".", labels);
                    return Tuple.of(name, shout ? name.toUpperCase(Locale.ROOT) + "." : name);
                })
                .injectNull(0.2);
        Arbitrary<List<String>> alpn = Arbitraries.strings().ascii().ofMinLength(1).ofMaxLength(10)
                .filter(name -> !looksLikeGrease(name)).list().ofMaxSize(4);
        Arbitrary<List<Integer>> versions = Arbitraries.of(0x0304, 0x0303, 0x0302, 0x0301).list().ofMaxSize(4);
        Arbitrary<Integer> grease = Arbitraries.integers().between(0, 15).map(n -> n << 12 | 0x0a00 | n << 4 | 0x0a);
        Arbitrary<byte[]> unknownExtension = Arbitraries.bytes().array(byte[].class).ofMaxSize(40);
        Arbitrary<Integer> legacyVersion = Arbitraries.integers().between(0, 0xffff);
        Arbitrary<byte[]> sessionId = Arbitraries.bytes().array(byte[].class).ofMaxSize(32);

        return Combinators.combine(serverName, alpn, versions, grease, Arbitraries.of(true, false), unknownExtension,
                legacyVersion, sessionId).as(ClientHelloPropertiesTest::generate);
    }

    /** "JJ", "zz", "**": two equal bytes 0x?a are GREASE, which the parser rightly drops. */
    private static boolean looksLikeGrease(String alpnName) {
        return alpnName.length() == 2 && alpnName.charAt(0) == alpnName.charAt(1) && (alpnName.charAt(0) & 0x0f) == 0x0a;
    }

    private static GeneratedHello generate(Tuple2<String, String> name, List<String> protocols, List<Integer> supported,
                                           int grease, boolean ech, byte[] extra, int legacyVersion, byte[] sessionId) {
        ClientHelloBuilder builder = ClientHelloBuilder.hello().legacyVersion(legacyVersion).sessionId(sessionId)
                .extension(grease, new byte[0]);
        if (name != null) {
            builder.serverName(name.get2());
        }
        if (!protocols.isEmpty()) {
            List<String> withGrease = new ArrayList<>(protocols);
            withGrease.add(0, new String(new char[] {(char) (grease >> 8), (char) (grease & 0xff)}));
            builder.alpn(withGrease.toArray(String[]::new));
        }
        if (!supported.isEmpty()) {
            int[] list = new int[supported.size() + 1];
            list[0] = grease;
            for (int i = 0; i < supported.size(); i++) {
                list[i + 1] = supported.get(i);
            }
            builder.supportedVersions(list);
        }
        if (ech) {
            builder.encryptedClientHello();
        }
        builder.extension(0x7777, extra);
        byte[] message = builder.build();
        ClientHello expected = new ClientHello(name == null ? null : name.get1(), protocols, ech, legacyVersion,
                supported, message.length - 4);
        return new GeneratedHello(message, expected);
    }
}
