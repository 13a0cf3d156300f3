package io.tollgate.gateway.events;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.tollgate.gateway.decide.ConnectionFacts;
import io.tollgate.gateway.decide.Decision;
import io.tollgate.gateway.decide.Protocol;
import io.tollgate.gateway.decide.Reason;
import io.tollgate.gateway.decide.Verdict;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class EventJsonTest {
    @Test
    void blockEventUsesTheStableSnakeCaseSchemaAndOmitsAbsentFields() throws Exception {
        ConnectionFacts facts = new ConnectionFacts(InetAddress.getByName("10.10.0.2"),
                new InetSocketAddress(InetAddress.getByName("198.51.100.7"), 443), Protocol.TLS, "attacker.com", false,
                null, null, null);
        Decision d = new Decision(Verdict.BLOCK, Reason.NOT_ALLOWLISTED, "fleet", "abc123", "not allowed");
        String line = EventJson.toLine(ConnectionEvents.decided("gw-1", Instant.parse("2026-11-23T10:15:30.123456789Z"),
                facts, d));
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
        Event e = roundTrip(ConnectionEvents.decided("gw", Instant.EPOCH, facts, d));
        assertThat(e.verdict()).isEqualTo("would-block");
        assertThat(e.dst()).isEqualTo("[2001:db8::1]:80");
        assertThat(e.host()).isEqualTo("example.org");
        assertThat(e.sni()).isNull();
        assertThat(e.http()).isEqualTo(new Event.Http("POST", "/upload", "example.org"));
    }

    private static Event roundTrip(Event e) throws JsonProcessingException {
        return EventJson.fromLine(EventJson.toLine(e));
    }
}
