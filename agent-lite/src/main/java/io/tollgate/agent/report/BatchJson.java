package io.tollgate.agent.report;

import io.tollgate.agent.bpf.Tuple;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** The wire form of one record of a {@code POST /v1/attribution} batch (see the gateway's AttributionEndpoint). */
final class BatchJson {
    private static final byte[] CONNECTIONS_OPEN = ascii("{\"connections\":[");
    private static final byte[] HTTPS_OPEN = ascii("],\"https\":[");
    private static final byte[] CLOSE = ascii("]}");
    private static final byte[] COMMA = ascii(",");

    private BatchJson() {}

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }

    static String connection(ConnectionAttribution a) {
        StringBuilder json = new StringBuilder(256).append('{');
        tuple(json, a.tuple());
        json.append(",\"process\":");
        process(json, a.process());
        return json.append('}').toString();
    }

    static String https(HttpsRequest r) {
        StringBuilder json = new StringBuilder(256).append('{');
        if (r.tuple() != null) {
            tuple(json, r.tuple());
            json.append(',');
        }
        field(json, "method", r.method()).append(',');
        if (r.host() != null) {
            field(json, "host", r.host()).append(',');
        }
        field(json, "path", r.path() == null ? "" : r.path()).append(",\"process\":");
        process(json, r.process());
        return json.append('}').toString();
    }

    /**
     * A batch as the pieces of its body, to be written one after the other: the records are not copied into one
     * string and then into bytes again (at a burst's 2 000 records that was three copies of ~0.5 MB each, arrays
     * too large for the agent's young generation).
     */
    static List<byte[]> batch(List<byte[]> connections, List<byte[]> https) {
        List<byte[]> parts = new ArrayList<>(2 * (connections.size() + https.size()) + 3);
        parts.add(CONNECTIONS_OPEN);
        join(parts, connections);
        parts.add(HTTPS_OPEN);
        join(parts, https);
        parts.add(CLOSE);
        return parts;
    }

    private static void join(List<byte[]> parts, List<byte[]> records) {
        for (int i = 0; i < records.size(); i++) {
            if (i > 0) {
                parts.add(COMMA);
            }
            parts.add(records.get(i));
        }
    }

    private static void tuple(StringBuilder json, Tuple t) {
        field(json, "proto", t.protocol()).append(',');
        field(json, "src", address(t.source())).append(",\"sport\":").append(t.sourcePort()).append(',');
        field(json, "dst", address(t.destination())).append(",\"dport\":").append(t.destinationPort());
    }

    private static void process(StringBuilder json, ProcessRef p) {
        json.append("{\"pid\":").append(p.pid()).append(",\"ppid\":").append(p.ppid());
        if (p.exe() != null) {
            json.append(',');
            field(json, "exe", p.exe());
        }
        if (p.args() != null) {
            json.append(",\"args\":[");
            for (int i = 0; i < p.args().size(); i++) {
                if (i > 0) {
                    json.append(',');
                }
                string(json, p.args().get(i));
            }
            json.append(']');
        }
        if (p.step() != null) {
            json.append(',');
            field(json, "step", p.step());
        }
        json.append('}');
    }

    private static String address(InetAddress a) {
        String text = a.getHostAddress();
        int scope = text.indexOf('%');
        return scope < 0 ? text : text.substring(0, scope);
    }

    private static StringBuilder field(StringBuilder json, String name, String value) {
        json.append('"').append(name).append("\":");
        string(json, value);
        return json;
    }

    private static void string(StringBuilder json, String s) {
        json.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> json.append("\\\"");
                case '\\' -> json.append("\\\\");
                case '\n' -> json.append("\\n");
                case '\r' -> json.append("\\r");
                case '\t' -> json.append("\\t");
                default -> {
                    if (c < 0x20 || Character.isSurrogate(c)) {
                        json.append(String.format("\\u%04x", (int) c));
                    } else {
                        json.append(c);
                    }
                }
            }
        }
        json.append('"');
    }
}
