package io.tollgate.gateway.demo;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DemoPrerequisitesTest {
    @Test
    void notRootIsReportedFirst() {
        assertThat(Prerequisites.problem(false, tool -> false))
                .hasValue("tollgate demo needs root to create network namespaces; run it with sudo");
    }

    @Test
    void aMissingToolNamesTheDebianPackageThatBringsIt() {
        assertThat(Prerequisites.problem(true, tool -> !tool.equals("nft")))
                .hasValueSatisfying(message -> assertThat(message).contains("'nft'").contains("apt-get install nftables"));
        assertThat(Prerequisites.problem(true, tool -> !tool.equals("ip")))
                .hasValueSatisfying(message -> assertThat(message).contains("apt-get install iproute2"));
        assertThat(Prerequisites.problem(true, tool -> !tool.equals("dig")))
                .hasValueSatisfying(message -> assertThat(message).contains("'dig'").contains("apt-get install dnsutils"));
    }

    @Test
    void rootWithEveryToolCanRunTheDemo() {
        assertThat(Prerequisites.problem(true, tool -> true)).isEmpty();
    }
}
