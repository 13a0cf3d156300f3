package io.tollgate.sni;

import static org.assertj.core.api.Assertions.assertThat;

import io.tollgate.sni.Inspection.HttpHead;
import io.tollgate.sni.Inspection.Malformed;
import io.tollgate.sni.Inspection.NeedMore;
import io.tollgate.sni.Inspection.TlsHello;
import io.tollgate.sni.Inspection.Unrecognized;

/** Checks that hold for every outcome whatever the input: results are bounded by the cap, reasons are short. */
final class Outcomes {

    private Outcomes() {}

    /** @param cap the parser's size cap in bytes */
    static void assertBounded(Inspection outcome, int cap) {
        switch (outcome) {
            case NeedMore needMore -> assertThat(needMore).isSameAs(NeedMore.INSTANCE);
            case TlsHello(ClientHello hello) -> {
                int textLength = (hello.serverName() == null ? 0 : hello.serverName().length())
                        + hello.alpnProtocols().stream().mapToInt(String::length).sum();
                assertThat(textLength).isLessThanOrEqualTo(cap);
                assertThat(hello.handshakeLength()).isLessThanOrEqualTo(cap);
            }
            case HttpHead(HttpRequestHead head) -> assertThat(head.headLength()).isLessThanOrEqualTo(cap);
            case Unrecognized(String reason) -> assertThat(reason).isNotBlank().hasSizeLessThan(100);
            case Malformed(String protocol, String reason) -> {
                assertThat(protocol).isIn("tls", "http");
                assertThat(reason).isNotBlank().hasSizeLessThan(100);
            }
        }
    }
}
