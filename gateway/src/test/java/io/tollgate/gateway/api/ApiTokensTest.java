package io.tollgate.gateway.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tollgate.gateway.config.GatewayConfig.ApiRole;
import io.tollgate.gateway.config.GatewayConfig.ApiToken;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ApiTokensTest {
    @TempDir
    Path dir;

    @Test
    void theSecretIsReadFromItsFileWithSurroundingWhitespaceTrimmed() throws Exception {
        ApiTokens tokens = ApiTokens.load(List.of(token("ops", ApiRole.READER, "  s3cret-ops\n")));
        assertThat(tokens.authenticate("s3cret-ops")).map(ApiToken::name).contains("ops");
    }

    @Test
    void eachSecretIdentifiesItsOwnTokenAndRole() throws Exception {
        ApiTokens tokens = ApiTokens.load(List.of(token("ops", ApiRole.READER, "reader-secret"),
                token("hooks", ApiRole.REGISTRAR, "registrar-secret"), token("root", ApiRole.ADMIN, "admin-secret")));
        assertThat(tokens.authenticate("registrar-secret")).map(ApiToken::role).contains(ApiRole.REGISTRAR);
        assertThat(tokens.authenticate("admin-secret")).map(ApiToken::name).contains("root");
    }

    @Test
    void tokensThatShareAPrefixDifferInLengthOrCaseAreRejected() throws Exception {
        ApiTokens tokens = ApiTokens.load(List.of(token("ops", ApiRole.READER, "s3cret-ops")));
        assertThat(tokens.authenticate("s3cret-op")).isEmpty();
        assertThat(tokens.authenticate("s3cret-ops-and-more")).isEmpty();
        assertThat(tokens.authenticate("S3CRET-OPS")).isEmpty();
        assertThat(tokens.authenticate("")).isEmpty();
    }

    @Test
    void adminGrantsEveryRoleTheOthersOnlyTheirOwn() {
        for (ApiRole needed : ApiRole.values()) {
            assertThat(ApiRole.ADMIN.grants(needed)).isTrue();
        }
        assertThat(ApiRole.READER.grants(ApiRole.READER)).isTrue();
        assertThat(ApiRole.READER.grants(ApiRole.ADMIN)).isFalse();
        assertThat(ApiRole.READER.grants(ApiRole.REGISTRAR)).isFalse();
        assertThat(ApiRole.REGISTRAR.grants(ApiRole.READER)).isFalse();
    }

    @Test
    void aMissingTokenFileIsAStartErrorNamingTheFile() {
        Path missing = dir.resolve("nope");
        assertThatThrownBy(() -> ApiTokens.load(List.of(new ApiToken("ops", ApiRole.READER, missing))))
                .isInstanceOf(ApiStartException.class)
                .hasMessageContaining("'ops'").hasMessageContaining(missing.toString()).hasMessageContaining("does not exist");
    }

    @Test
    void anUnreadableTokenFileIsAStartErrorNamingTheFile() throws IOException {
        Path directory = Files.createDirectory(dir.resolve("a-directory"));
        assertThatThrownBy(() -> ApiTokens.load(List.of(new ApiToken("ops", ApiRole.READER, directory))))
                .isInstanceOf(ApiStartException.class)
                .hasMessageContaining(directory.toString()).hasMessageContaining("cannot be read");
    }

    @Test
    void anEmptyOrBlankTokenFileIsAStartError() throws IOException {
        ApiToken blank = token("ops", ApiRole.READER, " \n\t\n");
        assertThatThrownBy(() -> ApiTokens.load(List.of(blank)))
                .isInstanceOf(ApiStartException.class)
                .hasMessageContaining(blank.tokenFile().toString()).hasMessageContaining("is empty");
    }

    @Test
    void twoTokensWithTheSameSecretAreAStartError() throws IOException {
        List<ApiToken> same = List.of(token("a", ApiRole.READER, "same"), token("b", ApiRole.ADMIN, "same\n"));
        assertThatThrownBy(() -> ApiTokens.load(same))
                .isInstanceOf(ApiStartException.class).hasMessageContaining("'a' and 'b' have the same secret");
    }

    private ApiToken token(String name, ApiRole role, String content) throws IOException {
        return new ApiToken(name, role, Files.writeString(dir.resolve(name), content));
    }
}
