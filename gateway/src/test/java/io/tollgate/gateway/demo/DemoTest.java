package io.tollgate.gateway.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.tollgate.gateway.cli.TollgateCommand;
import io.tollgate.testbed.RootCheck;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.regex.MatchResult;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** Runs {@code tollgate demo} in-process: the real sandbox, gateway process, curl and dig calls. */
@Tag("netns")
class DemoTest {
    @Test
    void demoBlocksTheMaliciousCallsExplainsWhyAndLeavesNothingBehind() throws IOException {
        assumeTrue(RootCheck.isRoot(), RootCheck.skipReason());
        var out = new StringWriter();
        var err = new StringWriter();
        int exitCode = new CommandLine(new TollgateCommand())
                .setOut(new PrintWriter(out, true))
                .setErr(new PrintWriter(err, true))
                .execute("demo");

        String printed = out.toString();
        assertThat(exitCode).as(printed + err).isZero();
        assertThat(printed.lines()).anyMatch(line -> line.matches(
                "\\s*2/7 .*attacker\\.com/collect\\s+✖ blocked  curl: \\(6\\) Could not resolve host: attacker\\.com"));
        assertThat(printed.lines()).anyMatch(line -> line.matches(
                "\\s*block\\s+not-allowlisted\\s+attacker\\.com \\(DNS A\\)\\s.*"));
        assertThat(printed.lines()).anyMatch(line -> line.matches(
                "\\s*block\\s+sni-ip-mismatch\\s+github\\.com:443\\s+"
                        + "github\\.com is allowlisted, but 198\\.51\\.100\\.66:443 .*"));
        assertThat(printed.lines()).anyMatch(line -> line.matches(
                "\\s*block\\s+dns-exfil\\s+[a-z2-7]{10}…\\.attacker\\.com \\(DNS TXT\\)\\s.*"));
        assertThat(printed.lines()).anyMatch(line -> line.matches("\\s*block\\s+ioc\\s+c2\\.evil\\.invalid \\(DNS A\\)\\s.*"));
        assertThat(printed).contains("9 decisions (5 DNS queries, 4 connections): 4 allowed, 5 blocked",
                "reached the internet: registry.npmjs.org and github.com; nothing of the attacker's;"
                        + " the decoy resolver 8.8.8.8 saw no query");

        List<String> namespaces = Pattern.compile("tg-(runner|gateway|internet)-[a-z0-9]{6}").matcher(printed)
                .results().map(MatchResult::group).toList();
        assertThat(namespaces).hasSize(3);
        Process list = new ProcessBuilder("ip", "netns", "list").redirectErrorStream(true).start();
        String left = new String(list.getInputStream().readAllBytes());
        assertThat(namespaces).noneMatch(left::contains);
    }
}
