package io.tollgate.gateway.decide;

/** Why a verdict was reached; the wire names are the stable {@code reason} values of the event schema. */
public enum Reason {
    ALLOWLISTED("allowlisted"),
    NOT_ALLOWLISTED("not-allowlisted"),
    /** The name is allowed, but not on this port. */
    PORT("port"),
    IOC("ioc"),
    /** The name is allowed, but the destination address does not belong to it (SNI spoofing, domain fronting). */
    SNI_IP_MISMATCH("sni-ip-mismatch"),
    /** The client named no host (or an IP literal) and no CIDR allows the destination. */
    DIRECT_IP("direct-ip"),
    /** The client's first bytes were neither TLS nor HTTP (or it waited for the server to speak first). */
    NO_NAME("no-name"),
    /** The first bytes claimed to be TLS or HTTP but could not be parsed. */
    MALFORMED("malformed"),
    /** No policy covers the runner's source address: fail closed. */
    NO_POLICY("no-policy");

    private final String wire;

    Reason(String wire) {
        this.wire = wire;
    }

    public String wire() {
        return wire;
    }
}
