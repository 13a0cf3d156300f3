package io.tollgate.testbed;

import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.ApplicationProtocolConfig.Protocol;
import io.netty.handler.ssl.ApplicationProtocolConfig.SelectedListenerFailureBehavior;
import io.netty.handler.ssl.ApplicationProtocolConfig.SelectorFailureBehavior;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLException;

/** A server's key, its certificate and the CA that signed it. */
public record ServerIdentity(PrivateKey key, X509Certificate certificate, X509Certificate ca) {

    /** A server context builder presenting the certificate chain (leaf, CA); customise before {@code build()}. */
    public SslContextBuilder sslContextBuilder() {
        return SslContextBuilder.forServer(key, certificate, ca);
    }

    /** A server context offering ALPN {@code http/1.1}. */
    public SslContext http11ServerContext() {
        return serverContext(ApplicationProtocolNames.HTTP_1_1);
    }

    /** A server context offering ALPN {@code h2}, then {@code http/1.1}. */
    public SslContext http2ServerContext() {
        return serverContext(ApplicationProtocolNames.HTTP_2, ApplicationProtocolNames.HTTP_1_1);
    }

    private SslContext serverContext(String... protocols) {
        try {
            return sslContextBuilder()
                    .applicationProtocolConfig(new ApplicationProtocolConfig(Protocol.ALPN,
                            SelectorFailureBehavior.NO_ADVERTISE, SelectedListenerFailureBehavior.ACCEPT,
                            protocols))
                    .build();
        } catch (SSLException e) {
            throw new TestbedException("cannot build TLS server context for " + certificate.getSubjectX500Principal(), e);
        }
    }
}
