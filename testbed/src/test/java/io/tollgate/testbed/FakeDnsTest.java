package io.tollgate.testbed;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The real {@code dig} in the gateway namespace against FakeDns in the internet namespace. */
@Tag("netns")
class FakeDnsTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final String DNS_IP = "198.51.100.53";
    private static final String[] BIG = IntStream.rangeClosed(1, 40).mapToObj(i -> "10.99.0." + i).toArray(String[]::new);

    private static Topology topology;
    private static FakeDns dns;

    @BeforeAll
    static void startDns() {
        Assumptions.assumeTrue(RootCheck.isRoot(), RootCheck.skipReason());
        topology = Topology.create();
        dns = FakeDns.start(topology, DNS_IP)
                .a("alpha.example", "198.51.100.10", "fd99::10")
                .a("alpha.example", "198.51.100.11")
                .cname("www.example.", "cdn.example")
                .cname("cdn.example", "edge.example")
                .a("edge.example", "198.51.100.20")
                .txt("txt.example", "v=spf1 -all")
                .a("big.example", BIG)
                .ttl(300)
                .a("slow.example", "198.51.100.30");
    }

    @AfterAll
    static void stopDns() {
        if (dns != null) {
            dns.close();
        }
        if (topology != null) {
            topology.close();
        }
    }

    @Test
    void answersAAuthoritativelyWithoutRecursion() {
        String answer = dig(DNS_IP, "ALPHA.Example", "A");

        assertThat(answer).contains("status: NOERROR", "flags: qr aa;", "ANSWER: 2,");
        assertThat(answer.toLowerCase(Locale.ROOT)).as("answers echo the question's case")
                .contains("alpha.example. 60 in a 198.51.100.10", "alpha.example. 60 in a 198.51.100.11");
    }

    @Test
    void answersAaaaWithTheIpv6Addresses() {
        assertThat(dig(DNS_IP, "alpha.example", "AAAA")).contains("ANSWER: 1,", "alpha.example. 60 IN AAAA fd99::10");
    }

    @Test
    void followsACnameChainToTheAddress() {
        assertThat(dig(DNS_IP, "www.example", "A")).contains("status: NOERROR", "ANSWER: 3,",
                "www.example. 60 IN CNAME cdn.example.", "cdn.example. 60 IN CNAME edge.example.",
                "edge.example. 60 IN A 198.51.100.20");
    }

    @Test
    void unknownNameIsNxdomainWithTheSoa() {
        assertThat(dig(DNS_IP, "nowhere.example", "A")).contains("status: NXDOMAIN", "flags: qr aa;", "ANSWER: 0,",
                ". 30 IN SOA ns.fakedns.invalid. hostmaster.fakedns.invalid. 1 3600 600 86400 30");
    }

    @Test
    void knownNameWithoutThatTypeIsNodata() {
        assertThat(dig(DNS_IP, "txt.example", "A")).contains("status: NOERROR", "ANSWER: 0, AUTHORITY: 1,");
    }

    @Test
    void answersTxtAndHonoursTheTtl() {
        assertThat(dig(DNS_IP, "txt.example", "TXT")).contains("txt.example. 60 IN TXT \"v=spf1 -all\"");
        assertThat(dig(DNS_IP, "slow.example", "A")).contains("slow.example. 300 IN A 198.51.100.30");
    }

    @Test
    void bigAnswerIsTruncatedOverUdpAndWholeOverTcp() {
        String udp = dig(DNS_IP, "big.example", "A", "+bufsize=512", "+ignore");
        String tcp = dig(DNS_IP, "big.example", "A", "+tcp");

        assertThat(udp).contains("flags: qr aa tc;", "; EDNS: version: 0, flags:; udp: 1232");
        assertThat(tcp).contains("flags: qr aa;", "ANSWER: 40,");
    }

    @Test
    void recordsEveryQuery() {
        dig(DNS_IP, "Recorded.example", "A");
        dig(DNS_IP, "recorded.example.", "TXT", "+tcp");

        assertThat(dns.queries()).contains(
                new RecordedQuery("recorded.example", "A", "udp", Topology.GATEWAY_UPSTREAM_IP),
                new RecordedQuery("recorded.example", "TXT", "tcp", Topology.GATEWAY_UPSTREAM_IP));
    }

    @Test
    void runnerGetsNoAnswerBecauseTheInternetHasNoRouteBack() {
        CommandResult fromRunner = topology.runner().exec(TIMEOUT, "dig", "@" + DNS_IP, "unreachable.example", "A",
                "+norecurse", "+time=1", "+tries=1");

        assertThat(fromRunner.exitCode()).as("dig from runner: %s", fromRunner).isNotZero();
        assertThat(dns.queries()).as("the query arrives; the answer cannot go back")
                .contains(new RecordedQuery("unreachable.example", "A", "udp", Topology.RUNNER_IP));
        assertThat(dig(DNS_IP, "alpha.example", "A")).contains("status: NOERROR");
    }

    @Test
    void serversOnTwoAddressesCoexist() {
        try (var second = FakeDns.start(topology, "fd99::53").a("second.example", "198.51.100.99")) {
            assertThat(dig("fd99::53", "second.example", "A")).contains("second.example. 60 IN A 198.51.100.99");
            assertThat(dig(DNS_IP, "second.example", "A")).contains("status: NXDOMAIN");
            assertThat(second.queries()).containsExactly(
                    new RecordedQuery("second.example", "A", "udp", Topology.GATEWAY_UPSTREAM_IP6));
        }
    }

    @Test
    void closeFreesThePorts() {
        String ip = "198.51.100.54";
        FakeDns.start(topology, ip).close();
        assertThat(topology.gateway().exec(TIMEOUT, "dig", "@" + ip, "alpha.example", "+time=1", "+tries=1").exitCode())
                .isNotZero();

        try (var again = FakeDns.start(topology, ip).a("again.example", "198.51.100.98")) {
            assertThat(dig(ip, "again.example", "A")).contains("198.51.100.98");
            assertThat(dig(ip, "again.example", "A", "+tcp")).contains("198.51.100.98");
        }
    }

    @Test
    void mirrorsTheFakeInternetsNames() {
        try (var internet = FakeInternet.start(topology, TestCa.create("mirror test CA")).host("shop.example", "203.0.113.80");
             var mirror = FakeDns.start(topology, "198.51.100.55").mirror(internet)) {
            assertThat(dig(mirror.ip(), "shop.example", "A")).contains("shop.example. 60 IN A 203.0.113.80");
        }
    }

    /** dig from the gateway namespace, without recursion; the output with runs of whitespace made single spaces. */
    private static String dig(String server, String name, String type, String... options) {
        var argv = new ArrayList<>(List.of("dig", "@" + server, name, type, "+norecurse", "+time=2", "+tries=1"));
        argv.addAll(List.of(options));
        return topology.gateway().execOrThrow(TIMEOUT, argv.toArray(String[]::new)).stdout().replaceAll("[ \\t]+", " ");
    }
}
