package io.tollgate.policy.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.tollgate.policy.cluster.ClusterMember;
import io.tollgate.policy.document.PolicyDocumentParser;
import io.tollgate.policy.endpoint.EndpointSets;
import io.tollgate.policy.scope.Scope;
import io.tollgate.policy.sign.PolicySigner;
import io.tollgate.policy.sign.PolicyVerifier;
import io.tollgate.policy.sign.SigningKeys;
import io.tollgate.policy.store.PolicyRejected.Kind;
import io.tollgate.policy.store.PolicyRevision.Action;
import io.tollgate.testbed.FreePort;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PolicyStoreTest {
    private static final PolicyDocumentParser PARSER = new PolicyDocumentParser(EndpointSets.defaults());
    private static final String WIDGETS_V1 = """
            name: widgets
            scope: {repo: acme/widgets}
            allowed-endpoints: |
              github.com:443
              registry.npmjs.org
            """;
    private static final String WIDGETS_V2 = """
            name: widgets
            scope: {repo: acme/widgets}
            egress-policy: audit
            allowed-endpoints: |
              github.com:443
              pypi.org
            """;

    @TempDir
    Path dir;
    private ClusterMember member;

    @BeforeEach
    void start() throws Exception {
        member = ClusterMember.start(InetAddress.getLoopbackAddress(), FreePort.onLoopback());
    }

    @AfterEach
    void stop() {
        member.close();
    }

    private PolicyStore store(Optional<PolicyVerifier> verifier) {
        return new PolicyStore(member.hazelcast(), PARSER, verifier, Clock.systemUTC());
    }

    @Test
    void versionsEveryChangeWithAuthorAndWhatChanged() throws Exception {
        PolicyStore store = store(Optional.empty());
        assertThat(store.put("widgets", WIDGETS_V1, null, "alice").revision().changes())
                .containsExactly("new document: scope repo:acme/widgets, egress-policy block, 2 endpoints");
        PolicyRevision second = store.put("widgets", WIDGETS_V2, null, "bob").revision();
        assertThat(second.version()).isEqualTo(2);
        assertThat(second.author()).isEqualTo("bob");
        assertThat(second.changes()).containsExactly("egress-policy: block -> audit", "+ pypi.org:443",
                "- registry.npmjs.org:443");

        PolicyRevision back = store.rollback("widgets", 1, "carol").revision();
        assertThat(back.version()).isEqualTo(3);
        assertThat(back.action()).isEqualTo(Action.ROLLBACK);
        assertThat(back.text()).isEqualTo(WIDGETS_V1);
        assertThat(back.changes()).startsWith("rollback to version 1");

        PolicyRevision gone = store.delete("widgets", "dave");
        assertThat(gone.version()).isEqualTo(4);
        assertThat(store.history("widgets").orElseThrow().current()).isEmpty();
        assertThat(store.history("widgets").orElseThrow().revisions()).extracting(PolicyRevision::author)
                .containsExactly("alice", "bob", "carol", "dave");
    }

    @Test
    void refusesInvalidDocumentsAndSecondOwnersOfAScope() throws Exception {
        PolicyStore store = store(Optional.empty());
        assertThatThrownBy(() -> store.put("widgets", WIDGETS_V1.replace("github.com:443", "*.com:443"), null, "a"))
                .isInstanceOf(PolicyRejected.class)
                .hasMessageStartingWith("policy 'widgets' allowed-endpoints line 4: '*.com:443'");
        assertThatThrownBy(() -> store.put("gadgets", WIDGETS_V1, null, "a"))
                .hasMessageContaining("the document is named 'widgets' but was sent as 'gadgets'");
        store.put("widgets", WIDGETS_V1, null, "a");
        assertThatThrownBy(() -> store.put("widgets-2", WIDGETS_V1.replace("name: widgets", "name: widgets-2"),
                null, "a")).satisfies(e -> assertThat(((PolicyRejected) e).kind()).isEqualTo(Kind.CONFLICT))
                .hasMessageContaining("scope repo:acme/widgets already has policy 'widgets'");
        assertThatThrownBy(() -> store.rollback("widgets", 7, "a")).hasMessageContaining("versions 1 to 1, not 7");
        assertThatThrownBy(() -> store.delete("nothing", "a")).hasMessage("no policy named 'nothing'");
        assertThatThrownBy(() -> store.put("../etc", WIDGETS_V1, null, "a")).hasMessageContaining("not a policy name");
    }

    @Test
    void aScopeIsFreeAgainOnceItsDocumentMovedOrWasDeletedEvenWhenAnotherNodeChangedIt() throws Exception {
        PolicyStore here = store(Optional.empty());
        PolicyStore otherNode = store(Optional.empty());
        String gadgets = WIDGETS_V1.replace("name: widgets", "name: gadgets");
        here.put("widgets", WIDGETS_V1, null, "a");
        assertThatThrownBy(() -> here.put("gadgets", gadgets, null, "a")).hasMessageContaining("already has policy");
        otherNode.put("widgets", WIDGETS_V1.replace("acme/widgets", "acme/other"), null, "b");
        here.put("gadgets", gadgets, null, "a");
        assertThatThrownBy(() -> here.put("widgets", WIDGETS_V1, null, "a"))
                .hasMessageContaining("scope repo:acme/widgets already has policy 'gadgets'");
        otherNode.delete("gadgets", "b");
        here.put("widgets", WIDGETS_V1, null, "a");
        assertThat(here.history("widgets").orElseThrow().current().orElseThrow().version()).isEqualTo(3);
    }

    @Test
    void withAKeyOnlyCorrectlySignedPolicyIsAccepted() throws Exception {
        SigningKeys.generate(dir.resolve("fleet.key"), dir.resolve("fleet.pub"));
        SigningKeys.generate(dir.resolve("other.key"), dir.resolve("other.pub"));
        PolicyStore store = store(Optional.of(PolicyVerifier.fromPem(dir.resolve("fleet.pub"))));
        assertThatThrownBy(() -> store.put("widgets", WIDGETS_V1, null, "a"))
                .satisfies(e -> assertThat(((PolicyRejected) e).kind()).isEqualTo(Kind.UNSIGNED))
                .hasMessageContaining("is not signed");
        String foreign = PolicySigner.fromPem(dir.resolve("other.key")).sign(WIDGETS_V1);
        assertThatThrownBy(() -> store.put("widgets", WIDGETS_V1, foreign, "a"))
                .satisfies(e -> assertThat(((PolicyRejected) e).kind()).isEqualTo(Kind.BAD_SIGNATURE));
        String good = PolicySigner.fromPem(dir.resolve("fleet.key")).sign(WIDGETS_V1);
        assertThatThrownBy(() -> store.put("widgets", WIDGETS_V1 + "# edited\n", good, "a"))
                .satisfies(e -> assertThat(((PolicyRejected) e).kind()).isEqualTo(Kind.BAD_SIGNATURE));
        assertThat(store.put("widgets", WIDGETS_V1, good, "a").revision().signature()).isEqualTo(good);
    }

    @Test
    void theViewAppliesChangesAndTheArchiveRestoresThemAfterAFullRestart() throws Exception {
        PolicyStore store = store(Optional.empty());
        PolicyArchive archive = new PolicyArchive(dir.resolve("policies"));
        AtomicReference<PolicyStoreView.Applied> latest = new AtomicReference<>();
        try (PolicyStoreView view = PolicyStoreView.follow(member.hazelcast(), PARSER, Optional.empty(), archive,
                latest::set)) {
            store.put("widgets", WIDGETS_V1, null, "alice");
            await().atMost(Duration.ofSeconds(5)).until(() -> latest.get() != null);
            assertThat(latest.get().policies().all()).containsKey(new Scope.Repo("acme/widgets"));
            store.put("widgets", WIDGETS_V2, null, "bob");
            await().atMost(Duration.ofSeconds(5)).until(() -> latest.get().versions().get("widgets") == 2);
        }
        assertThat(Files.readString(archive.dir().resolve("widgets/1.yaml"))).isEqualTo(WIDGETS_V1);
        assertThat(Files.readAllLines(archive.dir().resolve("audit.jsonl"))).hasSize(2)
                .allSatisfy(line -> assertThat(line).contains("\"name\":\"widgets\""));

        member.close();
        member = ClusterMember.start(InetAddress.getLoopbackAddress(), FreePort.onLoopback());
        PolicyStore restarted = store(Optional.empty());
        assertThat(restarted.histories()).isEmpty();
        assertThat(restarted.restore(archive.load())).isEmpty();
        PolicyHistory history = restarted.history("widgets").orElseThrow();
        assertThat(history.revisions()).extracting(PolicyRevision::author).containsExactly("alice", "bob");
        assertThat(history.current().orElseThrow().text()).isEqualTo(WIDGETS_V2);
        assertThat(restarted.put("widgets", WIDGETS_V1, null, "carol").revision().version()).isEqualTo(3);
    }

    @Test
    void restoreKeepsTheClusterWhenADiskHistoryDiverged() throws Exception {
        PolicyStore store = store(Optional.empty());
        store.put("widgets", WIDGETS_V1, null, "alice");
        PolicyRevision stale = new PolicyRevision("widgets", 1, Action.PUT, WIDGETS_V2, null, "mallory",
                Instant.EPOCH, 0, List.of());
        assertThat(store.restore(Map.of("widgets", PolicyHistory.first(stale)))).containsExactly("widgets");
        assertThat(store.history("widgets").orElseThrow().latest().author()).isEqualTo("alice");
    }
}
