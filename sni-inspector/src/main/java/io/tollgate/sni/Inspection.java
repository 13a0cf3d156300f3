package io.tollgate.sni;

/** What the first bytes of a connection turned out to be. Immutable facts for the decision stage. */
public sealed interface Inspection {

    /** Not enough bytes yet to decide; offer again when more have arrived. */
    record NeedMore() implements Inspection {
        public static final NeedMore INSTANCE = new NeedMore();
    }

    record TlsHello(ClientHello hello) implements Inspection {}

    record HttpHead(HttpRequestHead head) implements Inspection {}

    /** Neither TLS nor HTTP (SSH, another binary protocol, an SSLv2 hello). */
    record Unrecognized(String reason) implements Inspection {}

    /** Looked like {@code protocol} ("tls" or "http") but is broken or over the size cap. */
    record Malformed(String protocol, String reason) implements Inspection {}
}
