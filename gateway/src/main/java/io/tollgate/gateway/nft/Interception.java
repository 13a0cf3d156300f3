package io.tollgate.gateway.nft;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Installs and removes the node's interception: the nftables tables of {@link Ruleset} and the policy routing that
 * delivers TPROXY-marked packets to the local listener ({@code ip rule fwmark MARK lookup TABLE} and a local
 * default route in that table).
 */
public final class Interception {
    private static final Logger LOG = LoggerFactory.getLogger(Interception.class);
    private static final int ROUTE_TABLE = 100;

    private final Ruleset ruleset;

    public Interception(Ruleset ruleset) {
        this.ruleset = ruleset;
    }

    public void install() throws NetworkSetupException {
        SystemCommand.of("nft", "-f", "-").runOrThrow(ruleset.guardScript(), "install the forwarding guard table");
        addPolicyRouting("-4", "0.0.0.0/0");
        if (ruleset.ipv6()) {
            addPolicyRouting("-6", "::/0");
        }
        SystemCommand.of("nft", "-f", "-").runOrThrow(ruleset.interceptionScript(), "install the interception table");
        LOG.info("nftables: runner TCP on {} is intercepted to port {}; other runner traffic is dropped and counted"
                + " (table inet {}); forwarding from runners is blocked (table inet {})",
                ruleset.runnerInterfaces(), ruleset.tcpPort(), Ruleset.TABLE, Ruleset.GUARD_TABLE);
    }

    /** Removes interception but keeps the forwarding guard, so a stopped gateway stays closed. */
    public void remove() {
        try {
            var r = SystemCommand.of("nft", "delete", "table", "inet", Ruleset.TABLE).run(null);
            if (r.exitCode() != 0 && !r.output().contains("No such file")) {
                LOG.error("could not remove nftables table inet {}: {}; remove it with 'nft delete table inet {}'",
                        Ruleset.TABLE, r.output(), Ruleset.TABLE);
            }
            removePolicyRouting("-4", "0.0.0.0/0");
            if (ruleset.ipv6()) {
                removePolicyRouting("-6", "::/0");
            }
        } catch (NetworkSetupException e) {
            LOG.error("could not remove interception: {}", e.getMessage());
        }
    }

    /** The explicit operator action that lets forwarded runner traffic through again. */
    public static void uninstallGuard() throws NetworkSetupException {
        var r = SystemCommand.of("nft", "delete", "table", "inet", Ruleset.GUARD_TABLE).run(null);
        if (r.exitCode() != 0 && !r.output().contains("No such file")) {
            throw new NetworkSetupException("cannot delete table inet " + Ruleset.GUARD_TABLE + ": " + r.output());
        }
    }

    private void addPolicyRouting(String family, String everything) throws NetworkSetupException {
        String mark = Integer.toString(ruleset.mark());
        String table = Integer.toString(ROUTE_TABLE);
        var rules = SystemCommand.of("ip", family, "rule", "show").runOrThrow(null, "list routing rules");
        if (!rules.output().contains("fwmark 0x" + Integer.toHexString(ruleset.mark()) + " lookup " + table)) {
            SystemCommand.of("ip", family, "rule", "add", "fwmark", mark, "lookup", table)
                    .runOrThrow(null, "add the TPROXY routing rule");
        }
        SystemCommand.of("ip", family, "route", "replace", "local", everything, "dev", "lo", "table", table)
                .runOrThrow(null, "add the TPROXY local route");
    }

    private void removePolicyRouting(String family, String everything) throws NetworkSetupException {
        String table = Integer.toString(ROUTE_TABLE);
        SystemCommand.of("ip", family, "rule", "del", "fwmark", Integer.toString(ruleset.mark()), "lookup", table).run(null);
        SystemCommand.of("ip", family, "route", "del", "local", everything, "dev", "lo", "table", table).run(null);
    }
}
