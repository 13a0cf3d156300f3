package io.tollgate.policy.endpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tollgate.policy.Cidr;
import io.tollgate.policy.PolicyException;
import org.junit.jupiter.api.Test;

class EndpointParserTest {
    private static final String SOURCE = "policy 'fleet-default' allowed-endpoints";
    private static final EndpointSets SETS = EndpointSets.defaults();

    private static EndpointList parse(String text) throws PolicyException {
        return EndpointParser.parse(SOURCE, text, SETS);
    }

    private static PolicyException error(String text) {
        try {
            parse(text);
        } catch (PolicyException e) {
            return e;
        }
        throw new AssertionError("expected '" + text + "' to be rejected");
    }

    @Test
    void hostWithoutPortMeans443() throws PolicyException {
        assertThat(parse("github.com").hosts()).containsExactly(new HostEndpoint("github.com", 443));
    }

    @Test
    void entriesAreSeparatedByWhitespaceAndNewlinesWithComments() throws PolicyException {
        EndpointList list = parse("github.com:443  api.github.com:443\n\n  # a comment\n\tregistry.npmjs.org:443 # npm\n");
        assertThat(list.hosts()).extracting(HostEndpoint::pattern)
                .containsExactly("github.com", "api.github.com", "registry.npmjs.org");
    }

    @Test
    void normalizesCaseTrailingDotAndUnicodeLabels() throws PolicyException {
        assertThat(parse("GitHub.COM.:80 bücher.example:443").hosts()).containsExactly(
                new HostEndpoint("github.com", 80), new HostEndpoint("xn--bcher-kva.example", 443));
    }

    @Test
    void duplicatesAreAcceptedAndKeptOnce() throws PolicyException {
        assertThat(parse("github.com github.com:443 GITHUB.com").hosts()).hasSize(1);
    }

    @Test
    void everyPortListedForAWildcardIsKept() throws PolicyException {
        assertThat(parse("*.example.com:443 *.example.com:80").hosts()).containsExactly(
                new HostEndpoint("*.example.com", 443), new HostEndpoint("*.example.com", 80));
    }

    @Test
    void reportsLineOfBadEntry() {
        PolicyException e = error("github.com:443\napi.github.com:443\n*.com:443\n");
        assertThat(e.line()).isEqualTo(3);
        assertThat(e.entry()).isEqualTo("*.com:443");
        assertThat(e.source()).isEqualTo(SOURCE);
        assertThat(e.getMessage()).isEqualTo("policy 'fleet-default' allowed-endpoints line 3: '*.com:443':"
                + " wildcard over the public suffix 'com' would allow every .com host; name a registrable domain such"
                + " as *.example.com");
    }

    @Test
    void rejectsWildcardOverPublicSuffix() {
        assertThat(error("*.github.io").reason()).contains("public suffix 'github.io'");
        assertThat(error("*.co.uk:443").reason()).contains("public suffix 'co.uk'");
        assertThat(error("*.blob.core.windows.net").reason()).contains("public suffix 'blob.core.windows.net'");
    }

    @Test
    void rejectsWildcardOverTopLevelDomainOutsideThePublicSuffixList() {
        assertThat(error("*.internal").reason()).contains("top-level domain 'internal'");
    }

    @Test
    void rejectsBareStar() {
        assertThat(error("*:443").reason()).contains("bare '*'");
        assertThat(error("*").reason()).contains("bare '*'");
    }

    @Test
    void acceptsInLabelWildcardWithEnoughFixedCharactersOverPublicSuffix() throws PolicyException {
        assertThat(parse("productionresultssa*.blob.core.windows.net").hosts())
                .containsExactly(new HostEndpoint("productionresultssa*.blob.core.windows.net", 443));
        assertThat(error("ab*.blob.core.windows.net").reason()).contains("at least 4 fixed characters");
    }

    @Test
    void rejectsWildcardOutsideTheLeftmostLabel() {
        assertThat(error("api.*.example.com").reason()).contains("only in the leftmost label");
        assertThat(error("**.example.com").reason()).contains("'**'");
    }

    @Test
    void rejectsSingleLabelNames() {
        assertThat(error("postgres:5432").reason()).contains("single-label name 'postgres'")
                .contains("never leaves the runner");
    }

    @Test
    void rejectsBadMissingAndOutOfRangePorts() {
        assertThat(error("github.com:").reason()).contains("missing port");
        assertThat(error("github.com:0").reason()).contains("outside 1..65535");
        assertThat(error("github.com:65536").reason()).contains("outside 1..65535");
        assertThat(error("github.com:https").reason()).contains("not a number");
        assertThat(error("github.com:-1").reason()).contains("not a number");
        assertThat(error("github.com:*").reason()).contains("only for IP addresses and CIDRs");
        assertThat(error(":443").reason()).contains("missing host");
    }

    @Test
    void rejectsMalformedNames() {
        assertThat(error("a..example.com").reason()).contains("empty label");
        assertThat(error("example.com,x").reason()).contains("character ','");
        assertThat(error("10.0.0").reason()).contains("neither a host name");
        assertThat(error("https://github.com").reason()).contains("not a URL");
        assertThat(error("github.com/actions").reason()).contains("paths are not part of an entry");
        assertThat(error("[github.com]:443").reason()).contains("brackets are only for IPv6");
        assertThat(error("x".repeat(64) + ".example.com").reason()).contains("longer than 63");
    }

    @Test
    void cidrEntriesCarryPortsOrAnyPort() throws PolicyException {
        EndpointList list = parse("10.0.0.0/8:5432 192.168.1.0/24 10.1.0.0/16:* 203.0.113.7:22");
        assertThat(list.cidrs()).containsExactly(
                new CidrEndpoint(Cidr.parse("10.0.0.0/8"), 5432),
                new CidrEndpoint(Cidr.parse("192.168.1.0/24"), 443),
                new CidrEndpoint(Cidr.parse("10.1.0.0/16"), CidrEndpoint.ANY_PORT),
                new CidrEndpoint(Cidr.parse("203.0.113.7/32"), 22));
        assertThat(list.hosts()).isEmpty();
    }

    @Test
    void ipv6CidrsTakeTheirPortAfterBrackets() throws PolicyException {
        assertThat(parse("[2001:db8::/32]:443 [2001:db8:1::1]:* 2001:db8:2::/48").cidrs()).containsExactly(
                new CidrEndpoint(Cidr.parse("2001:db8::/32"), 443),
                new CidrEndpoint(Cidr.parse("2001:db8:1::1/128"), CidrEndpoint.ANY_PORT),
                new CidrEndpoint(Cidr.parse("2001:db8:2::/48"), 443));
        assertThat(error("2001:db8::/32:443").reason()).contains("[2001:db8::/32]:443");
        assertThat(error("[2001:db8::/32:443").reason()).contains("missing ']'");
    }

    @Test
    void cidrWithHostBitsSetIsRejectedWithTheIntendedNetwork() {
        assertThat(error("10.0.0.1/8:443").reason()).contains("host bits set").contains("did you mean 10.0.0.0/8");
    }

    @Test
    void parseCidrReadsAllowedCidrsEntries() throws PolicyException {
        assertThat(EndpointParser.parseCidr("policy 'p' allowed-cidrs", "10.0.0.0/8:5432"))
                .isEqualTo(new CidrEndpoint(Cidr.parse("10.0.0.0/8"), 5432));
        assertThat(EndpointParser.parseCidr("policy 'p' allowed-cidrs", "10.0.0.0/8"))
                .isEqualTo(new CidrEndpoint(Cidr.parse("10.0.0.0/8"), 443));
        assertThatThrownBy(() -> EndpointParser.parseCidr("policy 'p' allowed-cidrs", "github.com:443"))
                .isInstanceOf(PolicyException.class)
                .hasMessage("policy 'p' allowed-cidrs: 'github.com:443': 'github.com' is not an IP address or CIDR;"
                        + " host names go in allowed-endpoints");
    }

    @Test
    void namedSetIsIncludedByAt() throws PolicyException {
        EndpointList list = parse("@github-actions-runner\nregistry.npmjs.org");
        assertThat(list.hosts()).contains(new HostEndpoint("codeload.github.com", 443),
                new HostEndpoint("*.actions.githubusercontent.com", 443),
                new HostEndpoint("productionresultssa*.blob.core.windows.net", 443),
                new HostEndpoint("registry.npmjs.org", 443));
    }

    @Test
    void unknownSetNameListsTheKnownOnes() {
        PolicyException e = error("github.com\n@github-runner");
        assertThat(e.line()).isEqualTo(2);
        assertThat(e.reason()).isEqualTo("unknown endpoint set 'github-runner'; known sets: github-actions-runner");
    }

    @Test
    void overriddenSetReplacesTheShippedOne() throws PolicyException {
        EndpointSets sets = SETS.withOverride("github-actions-runner", "github.example.com\n");
        assertThat(EndpointParser.parse(SOURCE, "@github-actions-runner", sets).hosts())
                .containsExactly(new HostEndpoint("github.example.com", 443));
    }

    @Test
    void errorInsideASetNamesTheSetAndItsLine() {
        EndpointSets sets = SETS.withOverride("mine", "ok.example.com\nbad.example.com:99999\n");
        assertThatThrownBy(() -> EndpointParser.parse(SOURCE, "@mine", sets))
                .isInstanceOf(PolicyException.class)
                .hasMessage("endpoint set 'mine' line 2: 'bad.example.com:99999': port 99999 is outside 1..65535");
    }

    @Test
    void setsMayIncludeSetsButNotThemselves() throws PolicyException {
        EndpointSets sets = SETS.withOverride("outer", "@inner").withOverride("inner", "a.example.com")
                .withOverride("loop", "@loop");
        assertThat(EndpointParser.parse(SOURCE, "@outer", sets).hosts())
                .containsExactly(new HostEndpoint("a.example.com", 443));
        assertThatThrownBy(() -> EndpointParser.parse(SOURCE, "@loop", sets))
                .hasMessageContaining("includes itself");
        assertThat(error("@github-actions-runner:443").reason()).contains("without a port");
    }
}
