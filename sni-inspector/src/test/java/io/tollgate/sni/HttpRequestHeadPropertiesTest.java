package io.tollgate.sni;

import static org.assertj.core.api.Assertions.assertThat;

import io.tollgate.sni.Inspection.HttpHead;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.CharRange;
import net.jqwik.api.constraints.Chars;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.constraints.StringLength;

class HttpRequestHeadPropertiesTest {

    /** A request head as generated, together with what the parser must report for it. */
    record GeneratedHead(String text, HttpRequestHead expected) {}

    @Property
    void validHeadParsesToItsFieldsInAnyChunking(
            @ForAll("heads") GeneratedHead head,
            @ForAll @Size(min = 1, max = 8) List<@IntRange(min = 1, max = 40) Integer> chunks) {
        byte[] bytes = head.text().getBytes(StandardCharsets.ISO_8859_1);

        assertThat(Feeder.chunked(new FirstBytesInspector()::offer, bytes, chunks)).isEqualTo(new HttpHead(head.expected()));
    }

    @Property
    void mutatedOrTruncatedHeadsEndInAnOutcomeAndChunkingDoesNotChangeIt(
            @ForAll("heads") GeneratedHead head,
            @ForAll @Size(max = 4) List<@IntRange(min = 0, max = 10_000) Integer> mutatedOffsets,
            @ForAll @Size(min = 4, max = 4) byte[] mutatedValues,
            @ForAll @IntRange(min = 0, max = 100) int keepPercent,
            @ForAll @Size(min = 1, max = 6) List<@IntRange(min = 1, max = 30) Integer> chunks) {
        byte[] bytes = head.text().getBytes(StandardCharsets.ISO_8859_1);
        for (int i = 0; i < mutatedOffsets.size(); i++) {
            bytes[mutatedOffsets.get(i) % bytes.length] = mutatedValues[i];
        }
        bytes = Arrays.copyOf(bytes, Math.max(1, bytes.length * keepPercent / 100));

        Inspection whole = Feeder.whole(new HttpRequestHeadParser()::offer, bytes);

        assertThat(Feeder.chunked(new HttpRequestHeadParser()::offer, bytes, chunks)).isEqualTo(whole);
        Outcomes.assertBounded(whole, HttpRequestHeadParser.DEFAULT_MAX_HEAD_BYTES);
    }

    @Property
    void anyTextAfterAMethodEndsInAnOutcomeAndChunkingDoesNotChangeIt(
            @ForAll @CharRange(from = ' ', to = '~') @Chars({'\r', '\n', '\t', ':', '/'})
            @StringLength(max = 200) String text,
            @ForAll @Size(min = 1, max = 6) List<@IntRange(min = 1, max = 30) Integer> chunks) {
        byte[] bytes = ("GET " + text).getBytes(StandardCharsets.ISO_8859_1);

        Inspection whole = Feeder.whole(new HttpRequestHeadParser()::offer, bytes);

        assertThat(Feeder.chunked(new HttpRequestHeadParser()::offer, bytes, chunks)).isEqualTo(whole);
        Outcomes.assertBounded(whole, HttpRequestHeadParser.DEFAULT_MAX_HEAD_BYTES);
    }

    @Property(tries = 200)
    void headsOverTheCapAreMalformedWhateverTheirContent(@ForAll @Size(min = 1, max = 64) byte[] filler,
                                                         @ForAll @IntRange(min = 16, max = 256) int cap) {
        byte[] bytes = new byte[cap + 1];
        byte[] start = "GET / HTTP/1.1\r\nX: ".getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(start, 0, bytes, 0, Math.min(start.length, bytes.length));
        for (int i = start.length; i < bytes.length; i++) {
            bytes[i] = (byte) ('a' + (filler[i % filler.length] & 0x0f));
        }

        assertThat(Feeder.whole(new HttpRequestHeadParser(cap)::offer, bytes))
                .isEqualTo(new Inspection.Malformed("http", "request head exceeds " + cap + " bytes"));
    }

    @Provide
    Arbitrary<GeneratedHead> heads() {
        Arbitrary<String> method = Arbitraries.oneOf(Arbitraries.of("GET", "POST", "PUT", "DELETE", "PATCH", "HEAD"),
                Arbitraries.strings().withChars("ABCXYZ-_!#").ofMinLength(1).ofMaxLength(10));
        Arbitrary<String> label = Arbitraries.strings().withCharRange('a', 'z').withCharRange('0', '9').ofMinLength(1).ofMaxLength(8);
        Arbitrary<String> host = label.list().ofMinSize(1).ofMaxSize(3).map(labels -> String.join(".", labels));
        Arbitrary<Integer> port = Arbitraries.integers().between(1, 65535).injectNull(0.5);
        Arbitrary<String> path = Arbitraries.strings().withCharRange('!', '~').ofMaxLength(30).map(p -> "/" + p.replace("#", ""));
        Arbitrary<List<String>> otherHeaders = Combinators.combine(
                        Arbitraries.strings().withChars("abcXYZ-").ofMinLength(1).ofMaxLength(8),
                        Arbitraries.strings().withCharRange(' ', '~').ofMaxLength(20))
                .as((name, value) -> "x-" + name + ":" + value).list().ofMaxSize(4);
        Arbitrary<Integer> form = Arbitraries.integers().between(0, 2); // origin, absolute, no Host
        Arbitrary<String> eol = Arbitraries.of("\r\n", "\n");
        return Combinators.combine(method, host, port, path, otherHeaders, form, eol, Arbitraries.of(true, false))
                .as(HttpRequestHeadPropertiesTest::generate);
    }

    private static GeneratedHead generate(String method, String host, Integer port, String path, List<String> headers,
                                          int form, String eol, boolean upperCaseHost) {
        String authority = (upperCaseHost ? host.toUpperCase(Locale.ROOT) : host) + (port == null ? "" : ":" + port);
        String target = form == 1 ? "http://" + authority + path : path;
        StringBuilder text = new StringBuilder(method).append(' ').append(target).append(" HTTP/1.1").append(eol);
        headers.forEach(h -> text.append(h).append(eol));
        if (form == 1) {
            text.append("Host: decoy.example").append(eol);
        } else if (form == 0) {
            text.append("Host: ").append(authority).append(eol);
        }
        text.append(eol);
        String expectedHost = form == 2 ? null : host;
        int expectedPort = form == 2 || port == null ? -1 : port;
        return new GeneratedHead(text.toString(),
                new HttpRequestHead(method, target, expectedHost, expectedPort, "HTTP/1.1", text.length()));
    }
}
