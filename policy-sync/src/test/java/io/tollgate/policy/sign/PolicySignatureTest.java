package io.tollgate.policy.sign;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PolicySignatureTest {
    @TempDir
    Path dir;

    @Test
    void aSignatureVerifiesOnlyForItsTextAndKey() throws Exception {
        SigningKeys.generate(dir.resolve("a.key"), dir.resolve("a.pub"));
        SigningKeys.generate(dir.resolve("b.key"), dir.resolve("b.pub"));
        String text = "name: w\nscope: cluster\n";
        String signature = PolicySigner.fromPem(dir.resolve("a.key")).sign(text);

        PolicyVerifier a = PolicyVerifier.fromPem(dir.resolve("a.pub"));
        assertThat(a.verifies(text, signature)).isTrue();
        assertThat(a.verifies(text + " ", signature)).isFalse();
        assertThat(PolicyVerifier.fromPem(dir.resolve("b.pub")).verifies(text, signature)).isFalse();
        assertThat(a.verifies(text, "not base64!")).isFalse();
        assertThat(a.verifies(text, "AAAA")).isFalse();
        assertThat(a.keyId()).hasSize(16).isNotEqualTo(PolicyVerifier.fromPem(dir.resolve("b.pub")).keyId());
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("a.key"))))
                .isEqualTo("rw-------");
    }

    @Test
    void unusableKeyFilesAreNamedWithWhatToDo() throws Exception {
        SigningKeys.generate(dir.resolve("a.key"), dir.resolve("a.pub"));
        assertThatThrownBy(() -> PolicyVerifier.fromPem(dir.resolve("missing.pub")))
                .hasMessage("key file " + dir.resolve("missing.pub") + " does not exist");
        assertThatThrownBy(() -> PolicyVerifier.fromPem(dir.resolve("a.key")))
                .hasMessageContaining("is not a PEM 'PUBLIC KEY' file (it holds a 'PRIVATE KEY')");
        assertThatThrownBy(() -> PolicySigner.fromPem(dir.resolve("a.pub")))
                .hasMessageContaining("is not a PEM 'PRIVATE KEY' file");
        Files.writeString(dir.resolve("junk.pub"), "hello\n");
        assertThatThrownBy(() -> PolicyVerifier.fromPem(dir.resolve("junk.pub")))
                .hasMessageContaining("is not a PEM 'PUBLIC KEY' file");
    }
}
