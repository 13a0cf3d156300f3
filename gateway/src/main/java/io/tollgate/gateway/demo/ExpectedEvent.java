package io.tollgate.gateway.demo;

import io.tollgate.gateway.events.Event;
import java.util.Objects;

/**
 * An event a build step must leave in the gateway's events file, and the verdict and reason it must carry: a DNS
 * query ({@code qname}, {@code qtype}) or a TCP connection ({@code sni}, or none, to {@code dst}).
 */
record ExpectedEvent(String kind, String name, String target, String verdict, String reason) {

    static ExpectedEvent dns(String qname, String qtype, String verdict, String reason) {
        return new ExpectedEvent("dns", qname, qtype, verdict, reason);
    }

    static ExpectedEvent tcp(String sni, String dst, String verdict, String reason) {
        return new ExpectedEvent("tcp", sni, dst, verdict, reason);
    }

    boolean matches(Event e) {
        if (!kind.equals(e.kind())) {
            return false;
        }
        return "dns".equals(kind)
                ? name.equals(e.qname()) && target.equals(e.qtype())
                : target.equals(e.dst()) && Objects.equals(name, e.sni());
    }

    boolean hasOutcomeOf(Event e) {
        return verdict.equals(e.verdict()) && reason.equals(e.reason());
    }

    /** How the report names it: {@code DNS A attacker.com}, {@code TCP 198.51.100.66:443 (SNI github.com)}. */
    String describe() {
        return "dns".equals(kind)
                ? "DNS " + target + " " + name
                : "TCP " + target + (name == null ? " without SNI" : " (SNI " + name + ")");
    }
}
