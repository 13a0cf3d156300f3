package io.tollgate.sni;

import static org.assertj.core.api.Assertions.assertThat;

import io.tollgate.sni.Inspection.HttpHead;
import io.tollgate.sni.Inspection.Malformed;
import io.tollgate.sni.Inspection.NeedMore;
import io.tollgate.sni.Inspection.Unrecognized;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class HttpRequestHeadParserTest {

    private static Inspection parse(String text) {
        return Feeder.whole(new HttpRequestHeadParser()::offer, text.getBytes(StandardCharsets.ISO_8859_1));
    }

    private static HttpRequestHead headOf(String text) {
        Inspection inspection = parse(text);
        assertThat(inspection).isInstanceOf(HttpHead.class);
        return ((HttpHead) inspection).head();
    }

    @Test
    void reportsMethodTargetHostAndVersionOfAnOriginFormRequest() {
        String text = "GET /index.html?q=1 HTTP/1.1\r\nUser-Agent: x\r\nHost: WWW.Example.com\r\n\r\n";

        assertThat(headOf(text)).isEqualTo(new HttpRequestHead("GET", "/index.html?q=1", "www.example.com", -1, "HTTP/1.1", text.length()));
    }

    @Test
    void takesThePortFromTheHostHeader() {
        HttpRequestHead head = headOf("GET / HTTP/1.1\r\nhOsT:   api.example:8080 \t\r\n\r\n");

        assertThat(head.host()).isEqualTo("api.example");
        assertThat(head.port()).isEqualTo(8080);
    }

    @Test
    void treatsAnEmptyPortAsNotGiven() {
        assertThat(headOf("GET / HTTP/1.1\r\nHost: a.example:\r\n\r\n").port()).isEqualTo(-1);
    }

    @Test
    void readsAnIpv6LiteralHostWithoutBrackets() {
        HttpRequestHead head = headOf("GET / HTTP/1.1\r\nHost: [::1]:8080\r\n\r\n");

        assertThat(head.host()).isEqualTo("::1");
        assertThat(head.port()).isEqualTo(8080);
    }

    @Test
    void reportsNoHostWhenTheHeaderIsMissing() {
        HttpRequestHead head = headOf("GET / HTTP/1.0\r\n\r\n");

        assertThat(head.host()).isNull();
        assertThat(head.port()).isEqualTo(-1);
        assertThat(head.version()).isEqualTo("HTTP/1.0");
    }

    @Test
    void letsAnAbsoluteFormTargetWinOverTheHostHeader() {
        HttpRequestHead head = headOf("GET http://Real.Example:81/path HTTP/1.1\r\nHost: decoy.example\r\n\r\n");

        assertThat(head.host()).isEqualTo("real.example");
        assertThat(head.port()).isEqualTo(81);
        assertThat(head.target()).isEqualTo("http://Real.Example:81/path");
    }

    @Test
    void readsAnAbsoluteFormTargetWithoutPathOrPort() {
        HttpRequestHead head = headOf("GET https://[2001:db8::1]?x HTTP/1.1\r\n\r\n");

        assertThat(head.host()).isEqualTo("2001:db8::1");
        assertThat(head.port()).isEqualTo(-1);
    }

    @Test
    void readsTheAuthorityOfAConnectRequest() {
        HttpRequestHead head = headOf("CONNECT registry.npmjs.org:443 HTTP/1.1\r\nHost: registry.npmjs.org:443\r\n\r\n");

        assertThat(head.method()).isEqualTo("CONNECT");
        assertThat(head.host()).isEqualTo("registry.npmjs.org");
        assertThat(head.port()).isEqualTo(443);
    }

    @Test
    void readsAConnectToAnIpv6Literal() {
        HttpRequestHead head = headOf("CONNECT [::1]:8443 HTTP/1.1\r\n\r\n");

        assertThat(head.host()).isEqualTo("::1");
        assertThat(head.port()).isEqualTo(8443);
    }

    @Test
    void acceptsAsteriskFormForOptions() {
        assertThat(headOf("OPTIONS * HTTP/1.1\r\nHost: a.example\r\n\r\n").host()).isEqualTo("a.example");
    }

    @Test
    void toleratesBareLineFeeds() {
        String text = "POST /x HTTP/1.1\nHost: lf.example\nContent-Length: 0\n\n";

        assertThat(headOf(text).headLength()).isEqualTo(text.length());
        assertThat(headOf(text).host()).isEqualTo("lf.example");
    }

    @Test
    void stopsAtTheEndOfTheHeadAndIgnoresTheBody() {
        String head = "PUT /x HTTP/1.1\r\nHost: a.example\r\n\r\n";

        assertThat(headOf(head + "body\u0000\u0001").headLength()).isEqualTo(head.length());
    }

    @Test
    void needsMoreUntilTheEmptyLineArrives() {
        assertThat(parse("GET / HTTP/1.1\r\nHost: a.example\r\n")).isSameAs(NeedMore.INSTANCE);
        assertThat(parse("GET")).isSameAs(NeedMore.INSTANCE);
    }

    @Test
    void parsesTheSameWhenFedOneByteAtATime() {
        String text = "GET /a HTTP/1.1\r\nHost: b.example:99\r\n\r\n";

        assertThat(Feeder.bytewise(new HttpRequestHeadParser()::offer, text.getBytes(StandardCharsets.US_ASCII)))
                .isEqualTo(parse(text));
    }

    @Test
    void staysConsistentWhenOfferedFewerBytesThanBefore() {
        HttpRequestHeadParser parser = new HttpRequestHeadParser();
        byte[] bytes = "GET / HTTP/1.1\r\nHost: a.example\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

        assertThat(parser.offer(ByteBuffer.wrap(bytes, 0, 20))).isSameAs(NeedMore.INSTANCE);
        assertThat(parser.offer(ByteBuffer.wrap(bytes, 0, 5))).isSameAs(NeedMore.INSTANCE);
        assertThat(parser.offer(ByteBuffer.wrap(bytes))).isInstanceOf(HttpHead.class);
    }

    @Test
    void rejectsADuplicateHostHeader() {
        assertThat(parse("GET / HTTP/1.1\r\nHost: a.example\r\nhost: b.example\r\n\r\n"))
                .isEqualTo(new Malformed("http", "duplicate Host header"));
    }

    @Test
    void callsAnSshBannerUnrecognizedAtTheFirstLine() {
        assertThat(parse("SSH-2.0-OpenSSH_9.6\r\n")).isEqualTo(new Unrecognized("first line is not an HTTP request line"));
    }

    @Test
    void callsAnOverlongFirstWordUnrecognizedEarly() {
        assertThat(parse("A".repeat(40))).isEqualTo(new Unrecognized("first word is too long for an HTTP method"));
    }

    @Test
    void callsARequestLineWithoutHttpVersionUnrecognized() {
        assertThat(parse("GET /\r\n")).isEqualTo(new Unrecognized("request line has no HTTP version"));
        assertThat(parse("HELO mail.example\r\n")).isEqualTo(new Unrecognized("request line has no HTTP version"));
    }

    @Test
    void callsTheHttp2PrefaceUnrecognized() {
        assertThat(parse("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n")).isEqualTo(new Unrecognized("HTTP/2 prior-knowledge preface"));
    }

    @Test
    void rejectsVersionsOtherThanHttp1() {
        assertThat(parse("GET / HTTP/3.0\r\n")).isEqualTo(new Malformed("http", "version HTTP/3.0 is not HTTP/1.x"));
    }

    @Test
    void rejectsControlCharacters() {
        assertThat(parse("GET /\u0000 HTTP/1.1\r\n")).isEqualTo(new Malformed("http", "control character 0x00 in request head"));
        assertThat(parse("GET / HTTP/1.1\r\nX: a\u0007b\r\n\r\n")).isEqualTo(new Malformed("http", "control character 0x07 in request head"));
    }

    @Test
    void rejectsABareCarriageReturn() {
        assertThat(parse("GET / HTTP/1.1\r\nX: a\rb\r\n\r\n")).isEqualTo(new Malformed("http", "CR not followed by LF in request head"));
    }

    @Test
    void rejectsMalformedHeaderLines() {
        assertThat(parse("GET / HTTP/1.1\r\nHost : a.example\r\n\r\n")).isEqualTo(new Malformed("http", "invalid character 0x20 in header name"));
        assertThat(parse("GET / HTTP/1.1\r\nX: a\r\n b\r\n\r\n")).isEqualTo(new Malformed("http", "obsolete header line folding"));
        assertThat(parse("GET / HTTP/1.1\r\nNoColon\r\n\r\n")).isEqualTo(new Malformed("http", "header line without a colon"));
        assertThat(parse("GET / HTTP/1.1\r\n: v\r\n\r\n")).isEqualTo(new Malformed("http", "empty header name"));
    }

    @Test
    void rejectsBadRequestTargets() {
        assertThat(parse("GET /a b HTTP/1.1\r\n")).isEqualTo(new Malformed("http", "space in request-target"));
        assertThat(parse("GET /caf\u00e9 HTTP/1.1\r\n")).isEqualTo(new Malformed("http", "invalid character 0xe9 in request-target"));
        assertThat(parse("GET http://user@a.example/ HTTP/1.1\r\n")).isEqualTo(new Malformed("http", "userinfo in request-target"));
        assertThat(parse("GET example.com HTTP/1.1\r\n")).isEqualTo(new Malformed("http", "request-target is in no known form"));
        assertThat(parse("GET * HTTP/1.1\r\n")).isEqualTo(new Malformed("http", "asterisk-form target with method GET"));
        assertThat(parse("GET http:///x HTTP/1.1\r\n")).isEqualTo(new Malformed("http", "request-target has an empty authority"));
    }

    @Test
    void rejectsAConnectWithoutPort() {
        assertThat(parse("CONNECT a.example HTTP/1.1\r\n")).isEqualTo(new Malformed("http", "CONNECT target has no port"));
    }

    @Test
    void rejectsInvalidHostValues() {
        assertThat(parse("GET / HTTP/1.1\r\nHost: a.example:99999\r\n\r\n")).isEqualTo(new Malformed("http", "Host header has port 99999 out of range"));
        assertThat(parse("GET / HTTP/1.1\r\nHost: a.example:8x\r\n\r\n")).isEqualTo(new Malformed("http", "Host header has an invalid port"));
        assertThat(parse("GET / HTTP/1.1\r\nHost: a/b\r\n\r\n")).isEqualTo(new Malformed("http", "Host header contains invalid character 0x2f"));
        assertThat(parse("GET / HTTP/1.1\r\nHost: [::1\r\n\r\n")).isEqualTo(new Malformed("http", "Host header has an unclosed IPv6 literal"));
        assertThat(parse("GET / HTTP/1.1\r\nHost: [zz]\r\n\r\n")).isEqualTo(new Malformed("http", "Host header has an invalid IPv6 literal"));
        assertThat(parse("GET / HTTP/1.1\r\nHost: :80\r\n\r\n")).isEqualTo(new Malformed("http", "Host header has an empty host"));
    }

    @Test
    void reportsAnEmptyHostHeaderAsNoHost() {
        assertThat(headOf("GET / HTTP/1.1\r\nHost:\r\n\r\n").host()).isNull();
    }

    @Test
    void rejectsAHeadOverTheDefaultCap() {
        String text = "GET / HTTP/1.1\r\nX: " + "a".repeat(16 * 1024) + "\r\n\r\n";

        assertThat(parse(text)).isEqualTo(new Malformed("http", "request head exceeds 16384 bytes"));
    }

    @Test
    void acceptsAHeadOfExactlyTheConfiguredCap() {
        String text = "GET / HTTP/1.1\r\n\r\n";

        assertThat(Feeder.whole(new HttpRequestHeadParser(text.length())::offer, text.getBytes(StandardCharsets.US_ASCII)))
                .isInstanceOf(HttpHead.class);
        assertThat(Feeder.whole(new HttpRequestHeadParser(text.length() - 1)::offer, text.getBytes(StandardCharsets.US_ASCII)))
                .isEqualTo(new Malformed("http", "request head exceeds " + (text.length() - 1) + " bytes"));
    }
}
