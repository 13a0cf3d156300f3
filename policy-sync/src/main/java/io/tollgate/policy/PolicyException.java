package io.tollgate.policy;

/**
 * A policy that cannot be compiled. The message names where (policy, field, line) and why, for example
 * {@code policy 'fleet-default' allowed-endpoints line 3: '*.com:443': wildcard over the public suffix 'com' ...}.
 */
public final class PolicyException extends Exception {
    private final String source;
    private final int line;
    private final String entry;
    private final String reason;

    /** An error with no location; {@link #reason()} is the message. */
    public PolicyException(String message) {
        super(message);
        this.source = "";
        this.line = 0;
        this.entry = "";
        this.reason = message;
    }

    /**
     * @param source where the text came from, e.g. {@code policy 'fleet-default' allowed-endpoints}
     * @param line   1-based line in that text, 0 when the source is not line-based
     * @param entry  the offending entry as written
     * @param reason why it is rejected and what to write instead
     */
    public PolicyException(String source, int line, String entry, String reason) {
        super(format(source, line, entry, reason));
        this.source = source == null ? "" : source;
        this.line = line;
        this.entry = entry == null ? "" : entry;
        this.reason = reason;
    }

    private static String format(String source, int line, String entry, String reason) {
        StringBuilder message = new StringBuilder();
        if (source != null && !source.isEmpty()) {
            message.append(source);
        }
        if (line > 0) {
            message.append(message.isEmpty() ? "line " : " line ").append(line);
        }
        if (entry != null && !entry.isEmpty()) {
            message.append(message.isEmpty() ? "'" : ": '").append(entry).append('\'');
        }
        return message.isEmpty() ? reason : message.append(": ").append(reason).toString();
    }

    public String source() { return source; }

    public int line() { return line; }

    public String entry() { return entry; }

    public String reason() { return reason; }
}
