package io.tollgate.gateway.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class JobOidcConfigTest {
    private static GatewayConfig parse(String oidc) throws ConfigException {
        return ConfigLoader.parse("t.yaml", "gateway:\n  jobs:\n    oidc: " + oidc + "\n");
    }

    @Test
    void isOffUnlessConfiguredAndRequiredByDefault() throws Exception {
        assertThat(ConfigLoader.parse("t.yaml", "").jobOidc()).isEmpty();
        GatewayConfig.JobOidc oidc = parse("{audience: tollgate, jwks-file: /etc/tollgate/jwks.json}").jobOidc()
                .orElseThrow();
        assertThat(oidc.issuer()).isEqualTo("https://token.actions.githubusercontent.com");
        assertThat(oidc.required()).isTrue();
        assertThat(oidc.jwksFile()).contains(Path.of("/etc/tollgate/jwks.json"));
        assertThat(parse("{audience: a, jwks-url: 'https://token.actions.githubusercontent.com/.well-known/jwks',"
                + " required: false}").jobOidc().orElseThrow())
                .satisfies(o -> assertThat(o.jwksUrl()).contains(
                        URI.create("https://token.actions.githubusercontent.com/.well-known/jwks")))
                .satisfies(o -> assertThat(o.required()).isFalse());
    }

    @Test
    void namesWhatIsMissingOrWrong() {
        assertThatThrownBy(() -> parse("{jwks-file: /k}")).hasMessageContaining("oidc.audience is missing");
        assertThatThrownBy(() -> parse("{audience: a}")).hasMessageContaining("exactly one of jwks-file and jwks-url");
        assertThatThrownBy(() -> parse("{audience: a, jwks-file: /k, jwks-url: 'https://x/'}"))
                .hasMessageContaining("exactly one of");
        assertThatThrownBy(() -> parse("{audience: a, jwks-url: 'ftp://x/'}")).hasMessageContaining("not an http(s) URL");
    }
}
