package io.tollgate.policy.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class FinishSecretTest {
    @Test
    void onlyTheExactSecretMatchesItsDigest() {
        String secret = FinishSecret.generate();
        String digest = FinishSecret.digest(secret);

        assertThat(secret).matches("[A-Za-z0-9_-]{43}");
        assertThat(digest).matches("[0-9a-f]{64}");
        assertThat(FinishSecret.matches(secret, digest)).isTrue();
        assertThat(FinishSecret.matches(secret.substring(1), digest)).isFalse();
        assertThat(FinishSecret.matches(secret + "a", digest)).isFalse();
        assertThat(FinishSecret.matches("", digest)).isFalse();
        assertThat(FinishSecret.matches(digest, digest)).as("the digest is not the secret").isFalse();
        assertThat(FinishSecret.generate()).isNotEqualTo(secret);
    }
}
