package io.tollgate.testbed;

/**
 * A query that reached a {@link FakeDns}: the name asked for (lower case, no trailing dot), its type as dnsjava
 * spells it ({@code A}, {@code AAAA}, {@code TXT}, ...), the transport ({@code udp} or {@code tcp}) and the client's
 * address.
 */
public record RecordedQuery(String name, String type, String transport, String client) {
}
