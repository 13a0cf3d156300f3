package io.tollgate.policy.document;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tollgate.policy.EgressMode;
import io.tollgate.policy.PolicyException;
import io.tollgate.policy.endpoint.EndpointSets;
import io.tollgate.policy.scope.Scope;
import org.junit.jupiter.api.Test;

class PolicyDocumentParserTest {
    private final PolicyDocumentParser parser = new PolicyDocumentParser(EndpointSets.defaults());

    private PolicyDocument parse(String text) throws PolicyException {
        return parser.parse("widgets.yaml", text);
    }

    private String error(String text) {
        try {
            parse(text);
        } catch (PolicyException e) {
            return e.getMessage();
        }
        throw new AssertionError("accepted: " + text);
    }

    @Test
    void readsHardenRunnerKeysWithAScope() throws Exception {
        PolicyDocument doc = parse("""
                name: widgets-ci
                scope: {repo: Acme/Widgets, workflow: CI}
                egress-policy: block
                allowed-endpoints: |
                  github.com:443
                  *.npmjs.org:443
                allowed-cidrs: [10.0.0.0/8:5432]
                lockdown-mode:
                  enabled: true
                  detections: [reverse-shell, Runner-Worker-Memory-Read]
                """);
        assertThat(doc.name()).isEqualTo("widgets-ci");
        assertThat(doc.scope()).isEqualTo(new Scope.Workflow("acme/widgets", "CI"));
        assertThat(doc.policy().mode()).isEqualTo(EgressMode.BLOCK);
        assertThat(doc.policy().matcher().allows("registry.npmjs.org", 443)).isTrue();
        assertThat(doc.policy().matcher().allows("github.com", 80)).isFalse();
        assertThat(doc.lockdown().detections()).containsExactly("Reverse-Shell", "Runner-Worker-Memory-Read");
        assertThat(doc.warnings()).singleElement().asString().contains("lockdown-mode is stored but not enforced");
    }

    @Test
    void readsEveryScopeForm() throws Exception {
        assertThat(parse("name: a\nscope: cluster\n").scope()).isEqualTo(Scope.Cluster.INSTANCE);
        assertThat(parse("name: a\nscope: {org: Acme}\n").scope()).isEqualTo(new Scope.Org("acme"));
        assertThat(parse("name: a\nscope: {repo: acme/w}\n").scope()).isEqualTo(new Scope.Repo("acme/w"));
        assertThat(parse("name: a\nscope: {repo: acme/w, workflow: CI, job: build}\n").scope())
                .isEqualTo(new Scope.JobName("acme/w", "CI", "build"));
    }

    @Test
    void namesTheDocumentLineOfABadEndpoint() {
        assertThat(error("""
                name: widgets-ci
                scope: cluster
                allowed-endpoints: |
                  github.com:443
                  *.com:443
                """)).startsWith("widgets.yaml allowed-endpoints line 5: '*.com:443': wildcard over the public suffix");
        assertThat(error("name: w\nscope: cluster\nallowed-endpoints: \"github.com:99999\"\n"))
                .startsWith("widgets.yaml allowed-endpoints line 3: 'github.com:99999'");
    }

    @Test
    void namesTheLineOfABadCidrAndABadMode() {
        assertThat(error("name: w\nscope: cluster\nallowed-cidrs:\n  - 10.0.0.0/8:5432\n  - 10.0.0.0/33\n"))
                .startsWith("widgets.yaml allowed-cidrs line 5: '10.0.0.0/33'");
        assertThat(error("name: w\nscope: cluster\negress-policy: permissive\n"))
                .isEqualTo("widgets.yaml egress-policy line 3: 'permissive': expected 'block' or 'audit'");
    }

    @Test
    void refusesWhatItCannotEnforceOrUnderstand() {
        assertThat(error("name: w\nscope: cluster\ndisable-sudo: true\n"))
                .contains("line 3: 'disable-sudo': a Harden-Runner option for the runner host");
        assertThat(error("name: w\nscope: cluster\nallowed-endpoint: github.com\n"))
                .contains("line 3: 'allowed-endpoint': unknown key; known keys: name, scope");
        assertThat(error("name: w\nscope: cluster\nlockdown-mode: {enabled: true, detections: [Crypto-Miner]}\n"))
                .contains("'Crypto-Miner': unknown detection");
        assertThat(error("name: w\nname: v\nscope: cluster\n")).contains("line 2").contains("not valid YAML");
    }

    @Test
    void refusesMissingOrMalformedIdentity() {
        assertThat(error("")).isEqualTo("widgets.yaml: the document is empty; a policy needs at least name and scope");
        assertThat(error("scope: cluster\n")).contains("name is missing");
        assertThat(error("name: Widgets CI\nscope: cluster\n")).contains("line 1: 'Widgets CI': a name is");
        assertThat(error("name: w\n")).contains("scope is missing");
        assertThat(error("name: w\nscope: everything\n")).contains("scope line 2: 'everything': write 'cluster'");
        assertThat(error("name: w\nscope: {org: acme, repo: acme/w}\n")).contains("org stands alone");
        assertThat(error("name: w\nscope: {workflow: CI}\n")).contains("need the repo as well");
        assertThat(error("name: w\nscope: {repo: acme/w, job: build}\n")).contains("needs its workflow too");
        assertThat(error("name: w\nscope: {repo: acme}\n")).contains("'acme': not owner/name");
        assertThat(error("- name: w\n")).contains("line 1").contains("a policy document is a mapping");
    }

    @Test
    void warnsWhenABlockDocumentAllowsNothing() throws Exception {
        assertThat(parse("name: w\nscope: {org: acme}\n").warnings()).singleElement().asString()
                .contains("every connection of the jobs in org:acme is blocked");
    }
}
