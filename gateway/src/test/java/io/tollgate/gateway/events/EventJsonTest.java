package io.tollgate.gateway.events;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.tollgate.gateway.decide.ConnectionFacts;
import io.tollgate.gateway.decide.Decision;
import io.tollgate.gateway.decide.Protocol;
import io.tollgate.gateway.decide.Reason;
import io.tollgate.gateway.decide.Verdict;
import io.tollgate.policy.jobs.Job;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class EventJsonTest {
    @Test
    void blockEventUsesTheStableSnakeCaseSchemaAndOmitsAbsentFields() throws Exception {
        ConnectionFacts facts = new ConnectionFacts(InetAddress.getByName("10.10.0.2"),
                new InetSocketAddress(InetAddress.getByName("198.51.100.7"), 443), Protocol.TLS, "attacker.com", false,
                null, null, null);
        Decision d = new Decision(Verdict.BLOCK, Reason.NOT_ALLOWLISTED, "fleet", "abc123", "not allowed");
        String line = EventJson.toLine(ConnectionEvents.decided("gw-1", Instant.parse("2026-11-23T10:15:30.123456789Z"),
                facts, d, null));
        assertThat(line).isEqualTo("{\"ts\":\"2026-11-23T10:15:30.123456Z\",\"node\":\"gw-1\",\"kind\":\"tcp\","
                + "\"verdict\":\"block\",\"reason\":\"not-allowlisted\",\"src\":\"10.10.0.2\","
                + "\"dst\":\"198.51.100.7:443\",\"sni\":\"attacker.com\",\"policy\":{\"name\":\"fleet\","
                + "\"version\":\"abc123\"},\"detail\":\"not allowed\"}");
    }

    @Test
    void httpEventCarriesHostMethodAndPath() throws Exception {
        ConnectionFacts facts = new ConnectionFacts(InetAddress.getByName("10.10.0.2"),
                new InetSocketAddress(InetAddress.getByName("2001:db8::1"), 80), Protocol.HTTP, "example.org", false,
                null, "POST", "/upload");
        Decision d = new Decision(Verdict.WOULD_BLOCK, Reason.NOT_ALLOWLISTED, "fleet", "v1", "audit");
        Event e = roundTrip(ConnectionEvents.decided("gw", Instant.EPOCH, facts, d, null));
        assertThat(e.verdict()).isEqualTo("would-block");
        assertThat(e.dst()).isEqualTo("[2001:db8::1]:80");
        assertThat(e.host()).isEqualTo("example.org");
        assertThat(e.sni()).isNull();
        assertThat(e.http()).isEqualTo(new Event.Http("POST", "/upload", "example.org"));
    }

    @Test
    void aRegisteredJobIsTheJobFieldAndAnUnregisteredSourceHasNone() throws Exception {
        ConnectionFacts facts = new ConnectionFacts(InetAddress.getByName("10.10.0.2"),
                new InetSocketAddress(InetAddress.getByName("198.51.100.7"), 443), Protocol.TLS, "github.com", false,
                null, null, null);
        Decision d = new Decision(Verdict.ALLOW, Reason.ALLOWLISTED, "fleet", "v1", "ok");
        Job job = new Job("j-1", "octo-org/app", "CI", "build", "42", 2, "runner-7", Instant.EPOCH, "00");
        String line = EventJson.toLine(ConnectionEvents.decided("gw", Instant.EPOCH, facts, d,
                Event.JobRef.of(Optional.of(job))));
        assertThat(line).contains("\"job\":{\"id\":\"j-1\",\"repo\":\"octo-org/app\",\"workflow\":\"CI\","
                + "\"job\":\"build\",\"run_id\":\"42\"}").doesNotContain("runner-7").doesNotContain("secret");
        assertThat(EventJson.toLine(ConnectionEvents.decided("gw", Instant.EPOCH, facts, d,
                Event.JobRef.of(Optional.empty())))).doesNotContain("\"job\"");
    }

    private static Event roundTrip(Event e) throws JsonProcessingException {
        return EventJson.fromLine(EventJson.toLine(e));
    }
}
