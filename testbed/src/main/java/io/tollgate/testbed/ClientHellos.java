package io.tollgate.testbed;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.util.List;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;

/** ClientHellos of a real TLS client (the JDK's), for tests and benchmarks that speak raw TCP. */
public final class ClientHellos {
    private ClientHellos() {}

    /** The first flight of a JDK TLS client for {@code host}: one ClientHello record naming it. */
    public static byte[] jdk(String host) {
        try {
            SSLEngine engine = SSLContext.getDefault().createSSLEngine(host, 443);
            engine.setUseClientMode(true);
            SSLParameters parameters = engine.getSSLParameters();
            parameters.setServerNames(List.of(new SNIHostName(host)));
            engine.setSSLParameters(parameters);
            ByteBuffer out = ByteBuffer.allocate(engine.getSession().getPacketBufferSize());
            engine.beginHandshake();
            engine.wrap(ByteBuffer.allocate(0), out);
            out.flip();
            byte[] hello = new byte[out.remaining()];
            out.get(hello);
            return hello;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK cannot make a TLS client: " + e.getMessage(), e);
        }
    }
}
