package io.tollgate.agent.report;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;

/**
 * A minimal HTTP/1.1 client for one endpoint on one kept-alive connection (TLS with host name verification for
 * https). The agent posts a batch a few times a second and nothing else, so it does without the JDK's HttpClient,
 * whose selector thread and eager TLS set-up cost more memory than the rest of the agent's reporting.
 */
final class HttpPoster implements AutoCloseable {
    /** Status and body (bounded) of a response. */
    record Reply(int status, String body) {}

    private static final int TIMEOUT_MILLIS = 10_000;
    private static final int BODY_LIMIT = 64 * 1024;
    /** A batch's pieces (a record each) leave in segments of this size. */
    private static final int WRITE_BUFFER = 16 * 1024;

    private final URI endpoint;
    private final SSLSocketFactory tls;
    private final String hostHeader;
    private Socket socket;
    private InputStream in;
    private OutputStream out;

    /** {@code tls} is used for https endpoints and must not be null for them. */
    HttpPoster(URI endpoint, SSLSocketFactory tls) {
        this.endpoint = endpoint;
        this.tls = tls;
        this.hostHeader = endpoint.getHost() + ":" + port();
    }

    /** The local address of the connection to the gateway (connecting first if needed): what the gateway sees. */
    InetAddress localAddress() throws IOException {
        if (socket == null) {
            connect();
        }
        return socket.getLocalAddress();
    }

    /** Posts the concatenation of {@code body}'s pieces. */
    Reply post(String token, List<byte[]> body) throws IOException {
        boolean reused = socket != null;
        try {
            return exchange(token, body);
        } catch (IOException e) {
            close();
            if (!reused) {
                throw e;
            }
            return exchange(token, body); // the gateway closed an idle kept-alive connection: one fresh try
        }
    }

    private Reply exchange(String token, List<byte[]> body) throws IOException {
        if (socket == null) {
            connect();
        }
        long size = 0;
        for (byte[] piece : body) {
            size += piece.length;
        }
        String head = "POST " + endpoint.getRawPath() + " HTTP/1.1\r\nHost: " + hostHeader
                + "\r\nAuthorization: Bearer " + token + "\r\nContent-Type: application/json\r\nContent-Length: "
                + size + "\r\n\r\n";
        out.write(head.getBytes(StandardCharsets.ISO_8859_1));
        for (byte[] piece : body) {
            out.write(piece);
        }
        out.flush();
        String status = line();
        String[] parts = status.split(" ", 3);
        if (parts.length < 2 || !parts[0].startsWith("HTTP/1.")) {
            throw new IOException("not an HTTP response: " + status);
        }
        long length = -1;
        boolean chunked = false;
        boolean closing = false;
        for (String header = line(); !header.isEmpty(); header = line()) {
            String h = header.toLowerCase(Locale.ROOT);
            if (h.startsWith("content-length:")) {
                length = Long.parseLong(h.substring(15).strip());
            } else if (h.startsWith("transfer-encoding:") && h.contains("chunked")) {
                chunked = true;
            } else if (h.startsWith("connection:") && h.contains("close")) {
                closing = true;
            }
        }
        String text = new String(chunked ? chunks() : fixed(length), StandardCharsets.UTF_8);
        if (closing || (!chunked && length < 0)) {
            close();
        }
        return new Reply(Integer.parseInt(parts[1]), text);
    }

    private void connect() throws IOException {
        Socket plain = new Socket();
        plain.connect(new InetSocketAddress(endpoint.getHost(), port()), TIMEOUT_MILLIS);
        plain.setSoTimeout(TIMEOUT_MILLIS);
        plain.setTcpNoDelay(true);
        Socket s = plain;
        if ("https".equals(endpoint.getScheme())) {
            SSLSocket secure = (SSLSocket) tls.createSocket(plain, endpoint.getHost(), port(), true);
            SSLParameters params = secure.getSSLParameters();
            params.setEndpointIdentificationAlgorithm("HTTPS");
            secure.setSSLParameters(params);
            secure.startHandshake();
            s = secure;
        }
        socket = s;
        in = new BufferedInputStream(s.getInputStream());
        out = new BufferedOutputStream(s.getOutputStream(), WRITE_BUFFER);
    }

    private int port() {
        return endpoint.getPort() > 0 ? endpoint.getPort() : "https".equals(endpoint.getScheme()) ? 443 : 80;
    }

    private String line() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream(64);
        for (int b = in.read(); b != '\n'; b = in.read()) {
            if (b < 0) {
                throw new IOException("the gateway closed the connection");
            }
            if (line.size() > 8192) {
                throw new IOException("response line too long");
            }
            if (b != '\r') {
                line.write(b);
            }
        }
        return line.toString(StandardCharsets.ISO_8859_1);
    }

    private byte[] fixed(long length) throws IOException {
        if (length < 0) {
            return in.readNBytes(BODY_LIMIT);
        }
        byte[] kept = in.readNBytes((int) Math.min(length, BODY_LIMIT));
        in.skipNBytes(length - kept.length);
        return kept;
    }

    private byte[] chunks() throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        for (long size = Long.parseLong(line().split(";")[0].strip(), 16); size > 0;
                size = Long.parseLong(line().split(";")[0].strip(), 16)) {
            byte[] chunk = in.readNBytes((int) Math.min(size, BODY_LIMIT));
            in.skipNBytes(size - chunk.length);
            if (body.size() < BODY_LIMIT) {
                body.write(chunk, 0, Math.min(chunk.length, BODY_LIMIT - body.size()));
            }
            line();
        }
        for (String trailer = line(); !trailer.isEmpty(); trailer = line()) {
            // trailers are not used
        }
        return body.toByteArray();
    }

    @Override
    public void close() {
        if (socket != null) {
            try {
                socket.close();
            } catch (IOException e) {
                // closing a connection that is being replaced or dropped
            }
            socket = null;
        }
    }
}
