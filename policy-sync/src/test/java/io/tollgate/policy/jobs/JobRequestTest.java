package io.tollgate.policy.jobs;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.common.net.InetAddresses;
import java.net.InetAddress;
import org.junit.jupiter.api.Test;

class JobRequestTest {
    private static final InetAddress IP = InetAddresses.forString("10.10.0.2");

    @Test
    void everyBadOrMissingFieldIsNamed() {
        assertThatThrownBy(() -> new JobRequest(null, "o/r", "CI", "build", "1", 1, "r"))
                .hasMessageStartingWith("ip is missing");
        assertThatThrownBy(() -> JobRequest.parseIp("runner.example")).hasMessage("ip: 'runner.example' is not an IP address");
        assertThatThrownBy(() -> new JobRequest(IP, "just-a-name", "CI", "build", "1", 1, "r"))
                .hasMessageStartingWith("repo: 'just-a-name' is not owner/name");
        assertThatThrownBy(() -> new JobRequest(IP, "o/r", " ", "build", "1", 1, "r"))
                .hasMessage("workflow is missing or empty");
        assertThatThrownBy(() -> new JobRequest(IP, "o/r", "CI", "a\nb", "1", 1, "r"))
                .hasMessage("job contains control characters");
        assertThatThrownBy(() -> new JobRequest(IP, "o/r", "CI", "build", "12a", 1, "r"))
                .hasMessageStartingWith("run_id: '12a' is not the digits");
        assertThatThrownBy(() -> new JobRequest(IP, "o/r", "CI", "build", "1", 0, "r"))
                .hasMessageStartingWith("run_attempt is missing or below 1");
        assertThatThrownBy(() -> new JobRequest(IP, "o/r", "CI", "build", "1", 1, "x".repeat(257)))
                .hasMessage("runner_name is longer than 256 characters");
    }
}
