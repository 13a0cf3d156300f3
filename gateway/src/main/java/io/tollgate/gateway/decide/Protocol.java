package io.tollgate.gateway.decide;

/** What the client's first bytes turned out to be. */
public enum Protocol {
    TLS,
    HTTP,
    /** Neither TLS nor HTTP: another protocol, or the client waited for the server to speak first. */
    OPAQUE
}
