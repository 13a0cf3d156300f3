package io.tollgate.gateway.cli;

import io.tollgate.gateway.config.ConfigException;
import io.tollgate.gateway.config.ConfigLoader;
import io.tollgate.gateway.config.GatewayConfig;
import io.tollgate.gateway.nft.Interception;
import io.tollgate.gateway.nft.NetworkSetupException;
import io.tollgate.gateway.nft.Ruleset;
import io.tollgate.gateway.node.GatewayNode;
import io.tollgate.gateway.node.GatewayStartException;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code tollgate gateway --config FILE}: runs a node until it is stopped (SIGTERM / Ctrl-C). */
@Command(name = "gateway", mixinStandardHelpOptions = true,
        description = "Run a gateway node with the given config.",
        subcommands = {GatewayCommand.PrintRuleset.class, GatewayCommand.Uninstall.class})
final class GatewayCommand implements Callable<Integer> {
    @Option(names = "--config", description = "YAML config file (see DESIGN.md); missing keys take defaults")
    Path config;

    @Override
    public Integer call() {
        if (config == null) {
            System.err.println("tollgate: gateway needs --config FILE (a YAML file; an empty file runs with every default)");
            return 2;
        }
        GatewayConfig parsed;
        try {
            parsed = ConfigLoader.load(config);
        } catch (ConfigException e) {
            System.err.println("tollgate: " + e.getMessage());
            return 2;
        }
        GatewayNode node;
        try {
            node = GatewayNode.start(parsed);
        } catch (GatewayStartException e) {
            System.err.println("tollgate: the gateway did not start: " + e.getMessage());
            return 1;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            node.close();
            LogFlush.flush();
            stopped.countDown();
        }, "tollgate-shutdown"));
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return 0;
    }

    @Command(name = "ruleset", mixinStandardHelpOptions = true,
            description = "Print the nftables ruleset the node would install (for gateway.nftables: off).")
    static final class PrintRuleset implements Callable<Integer> {
        @Option(names = "--config", required = true, description = "YAML config file")
        Path config;

        @Override
        public Integer call() {
            try {
                var rules = Ruleset.forNode(ConfigLoader.load(config).gateway(), true, 1);
                System.out.print(rules.guardScript());
                System.out.print(rules.interceptionScript());
                return 0;
            } catch (ConfigException e) {
                System.err.println("tollgate: " + e.getMessage());
                return 2;
            }
        }
    }

    @Command(name = "uninstall", mixinStandardHelpOptions = true,
            description = "Remove the forwarding guard (table inet " + Ruleset.GUARD_TABLE
                    + ") that keeps runner traffic dropped while no gateway runs.")
    static final class Uninstall implements Callable<Integer> {
        @Override
        public Integer call() {
            try {
                Interception.uninstallGuard();
                System.out.println("removed table inet " + Ruleset.GUARD_TABLE
                        + ": this host now forwards runner traffic by its routing table alone");
                return 0;
            } catch (NetworkSetupException e) {
                System.err.println("tollgate: " + e.getMessage());
                return 1;
            }
        }
    }
}
