package io.tollgate.sni;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;

/**
 * Runs a real client against a listener on 127.0.0.1 and records the first bytes it sends, reading until a
 * {@link FirstBytesInspector} decides; then closes the connection and stops the client.
 */
final class LoopbackCapture {

    private static final int TIMEOUT_MILLIS = 10_000;

    /** What the client sent and what the inspector made of it, fed as the bytes arrived. */
    record Captured(byte[] bytes, Inspection inspection, int port) {}

    private LoopbackCapture() {}

    static boolean onPath(String binary) {
        String path = System.getenv("PATH");
        return path != null && Arrays.stream(path.split(File.pathSeparator))
                .anyMatch(dir -> Files.isExecutable(Path.of(dir, binary)));
    }

    /** @param command builds the client's command line from the port the listener got */
    static Captured capture(IntFunction<List<String>> command) throws IOException, InterruptedException {
        try (ServerSocket listener = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            listener.setSoTimeout(TIMEOUT_MILLIS);
            int port = listener.getLocalPort();
            ProcessBuilder builder = new ProcessBuilder(command.apply(port))
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectError(ProcessBuilder.Redirect.DISCARD);
            Map<String, String> env = builder.environment();
            List.of("http_proxy", "https_proxy", "all_proxy", "HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY")
                    .forEach(env::remove);
            Process client = builder.start();
            try (Socket connection = listener.accept()) {
                connection.setSoTimeout(TIMEOUT_MILLIS);
                return readUntilDecided(connection.getInputStream(), port);
            } finally {
                client.getOutputStream().close();
                client.destroy();
                if (!client.waitFor(5, TimeUnit.SECONDS)) {
                    client.destroyForcibly();
                }
            }
        }
    }

    private static Captured readUntilDecided(InputStream in, int port) throws IOException {
        FirstBytesInspector inspector = new FirstBytesInspector();
        byte[] received = new byte[0];
        byte[] chunk = new byte[4096];
        Inspection inspection = Inspection.NeedMore.INSTANCE;
        int n;
        while (inspection instanceof Inspection.NeedMore && (n = in.read(chunk)) > 0) {
            int before = received.length;
            received = Arrays.copyOf(received, before + n);
            System.arraycopy(chunk, 0, received, before, n);
            inspection = inspector.offer(ByteBuffer.wrap(received));
        }
        return new Captured(received, inspection, port);
    }
}
