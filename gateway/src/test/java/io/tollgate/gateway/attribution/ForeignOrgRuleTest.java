package io.tollgate.gateway.attribution;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ForeignOrgRuleTest {
    @Test
    void flagsWritesToAnotherOwnerOnTheApiAndTheSite() {
        assertThat(ForeignOrgRule.check("POST", "api.github.com", "/repos/hacker-org/x/issues", "octo-org"))
                .hasValueSatisfying(why -> assertThat(why).contains("'hacker-org'").contains("'octo-org'"));
        assertThat(ForeignOrgRule.check("PATCH", "api.github.com", "/orgs/other/settings", "octo-org")).isPresent();
        assertThat(ForeignOrgRule.check("DELETE", "API.GITHUB.COM", "/users/someone/x", "octo-org")).isPresent();
        assertThat(ForeignOrgRule.check("POST", "github.com", "/hacker-org/loot.git/git-receive-pack", "octo-org"))
                .isPresent();
        assertThat(ForeignOrgRule.check("PUT", "api.github.com", "/repos/hacker-org/x/contents/a?ref=main", "octo-org"))
                .isPresent();
    }

    @Test
    void leavesReadsTheJobsOwnOrgAndPathsWithoutAnOwnerAlone() {
        assertThat(ForeignOrgRule.check("GET", "api.github.com", "/repos/hacker-org/x", "octo-org")).isEmpty();
        assertThat(ForeignOrgRule.check("POST", "api.github.com", "/repos/Octo-Org/app/issues", "octo-org")).isEmpty();
        assertThat(ForeignOrgRule.check("POST", "api.github.com", "/graphql", "octo-org")).isEmpty();
        assertThat(ForeignOrgRule.check("POST", "github.com", "/login/oauth/access_token", "octo-org")).isEmpty();
        assertThat(ForeignOrgRule.check("POST", "uploads.example.com", "/repos/hacker-org/x", "octo-org")).isEmpty();
        assertThat(ForeignOrgRule.check("POST", "api.github.com", "/repos/hacker-org/x", null)).isEmpty();
    }
}
