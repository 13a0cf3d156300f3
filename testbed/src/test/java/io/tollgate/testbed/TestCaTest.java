package io.tollgate.testbed;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class TestCaTest {
    private final TestCa ca = TestCa.create("unit test CA");

    @Test
    void issuedCertificateIsSignedByTheCaAndCarriesTheRequestedNames() throws Exception {
        ServerIdentity identity = ca.issue(List.of("a.example", "b.example"), List.of("198.51.100.1", "fd99::1"));
        X509Certificate leaf = identity.certificate();

        leaf.verify(ca.certificate().getPublicKey());
        leaf.checkValidity();
        assertThat(identity.ca()).isEqualTo(ca.certificate());
        assertThat(leaf.getSubjectAlternativeNames().stream().map(san -> san.get(1).toString()).toList())
                .containsExactly("a.example", "b.example", "198.51.100.1", "fd99:0:0:0:0:0:0:1");
        assertThat(leaf.getBasicConstraints()).isEqualTo(-1);
        assertThat(leaf.getExtendedKeyUsage()).containsExactly("1.3.6.1.5.5.7.3.1");
    }

    @Test
    void caIsAShortLivedRootWrittenAsPem() throws Exception {
        X509Certificate root = ca.certificate();

        root.verify(root.getPublicKey());
        assertThat(root.getBasicConstraints()).isGreaterThanOrEqualTo(0);
        assertThat(Duration.between(root.getNotBefore().toInstant(), root.getNotAfter().toInstant()))
                .isLessThanOrEqualTo(Duration.ofDays(1).plusHours(1));
        assertThat(Files.readString(ca.certificatePem())).startsWith("-----BEGIN CERTIFICATE-----");
    }

    @Test
    void identityBuildsANettyServerContext() {
        assertThat(ca.issue(List.of("c.example"), List.of()).http11ServerContext().isServer()).isTrue();
    }
}
