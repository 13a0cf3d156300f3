package io.tollgate.dns.decide;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.xbill.DNS.Type;

class ExfilSignalsTest {
    @Test
    void sixtyCharacterBase32LabelIsLongAndHighEntropy() {
        String label = "iflvgx2tivbverkul5augq2fknjv6s2fle6xostbnrzfqvlunzdektkjf5ft";

        assertThat(ExfilSignals.of(label + ".t.example.net", Type.A)).containsExactly("long-label", "high-entropy");
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "productionresultssa12.blob.core.windows.net",
        "results-receiver.actions.githubusercontent.com",
        "pipelinesghubeus22.actions.githubusercontent.com",
        "objects.githubusercontent.com",
        "d2glxqk2uabbnd.cloudfront.net",
        "github-cloud.s3.amazonaws.com",
        "registry-1.docker.io",
        "ec2-54-231-12-33.compute-1.amazonaws.com",
        "xn--bcher-kva.example",
        "github.com.",
    })
    void ordinaryHostNamesAreNotFlagged(String name) {
        assertThat(ExfilSignals.of(name, Type.A)).isEmpty();
        assertThat(ExfilSignals.of(name, Type.AAAA)).isEmpty();
    }

    @Test
    void moreThanEightLabelsAreFlagged() {
        assertThat(ExfilSignals.of("a.b.c.d.e.f.g.example.com", Type.A)).containsExactly("many-labels");
        assertThat(ExfilSignals.of("a.b.c.d.e.f.example.com", Type.A)).isEmpty();
    }

    @Test
    void labelsUpToFortyCharactersAreNotLong() {
        assertThat(ExfilSignals.of("a".repeat(40) + ".example.com", Type.A)).isEmpty();
        assertThat(ExfilSignals.of("a".repeat(41) + ".example.com", Type.A)).containsExactly("long-label");
    }

    @Test
    void textCarryingRecordTypesAreFlagged() {
        assertThat(ExfilSignals.of("example.com", Type.TXT)).containsExactly("record-type:TXT");
        assertThat(ExfilSignals.of("example.com", Type.NULL)).containsExactly("record-type:NULL");
        assertThat(ExfilSignals.of("example.com", Type.ANY)).containsExactly("record-type:ANY");
        assertThat(ExfilSignals.of("example.com", Type.MX)).isEmpty();
    }

    @Test
    void entropyIsZeroForOneRepeatedCharacterAndFiveBitsForThirtyTwoDistinct() {
        assertThat(ExfilSignals.entropy("aaaaaaaa")).isZero();
        assertThat(ExfilSignals.entropy("abcdefghijklmnopqrstuvwxyz234567")).isCloseTo(5.0, offset(1e-9));
    }

    @Property(tries = 200)
    void randomBase32PayloadsLongerThanFortyCharactersAreAlwaysFlagged(@ForAll("base32From41") String label) {
        assertThat(ExfilSignals.of(label + ".x.example.net", Type.A)).contains("long-label");
    }

    @Property(tries = 200)
    void randomBase32PayloadsOfFiftySixCharactersOrMoreAreHighEntropy(@ForAll("base32From56") String label) {
        assertThat(ExfilSignals.of(label + ".x.example.net", Type.A)).contains("high-entropy");
    }

    @Provide
    Arbitrary<String> base32From41() {
        return base32(41);
    }

    @Provide
    Arbitrary<String> base32From56() {
        return base32(56);
    }

    private static Arbitrary<String> base32(int minLength) {
        return Arbitraries.strings().withChars("abcdefghijklmnopqrstuvwxyz234567").ofMinLength(minLength)
                .ofMaxLength(63).withoutEdgeCases();
    }
}
