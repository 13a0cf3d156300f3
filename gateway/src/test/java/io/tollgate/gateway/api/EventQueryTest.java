package io.tollgate.gateway.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The filters of {@code GET /v1/events}, read from query parameters and applied to event lines. */
class EventQueryTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant NOW = Instant.parse("2026-11-23T14:00:00Z");

    @Test
    void relativeAndAbsoluteSinceAndSeveralVerdicts() {
        EventQuery q = EventQuery.parse(Map.of("since", List.of("90s"), "verdict", List.of("block,would-block"),
                "follow", List.of("true")), NOW);
        assertThat(q.since()).isEqualTo(Instant.parse("2026-11-23T13:58:30Z"));
        assertThat(q.verdicts()).isEqualTo(Set.of("block", "would-block"));
        assertThat(q.follow()).isTrue();
        assertThat(EventQuery.parse(Map.of("since", List.of("1d")), NOW).since())
                .isEqualTo(Instant.parse("2026-11-22T14:00:00Z"));
        assertThat(EventQuery.parse(Map.of("since", List.of("2026-11-23T15:00:00+02:00")), NOW).since())
                .isEqualTo(Instant.parse("2026-11-23T13:00:00Z"));
        assertThat(EventQuery.parse(Map.of(), NOW)).isEqualTo(new EventQuery(null, Set.of(), null, false));
    }

    @Test
    void anEventMatchesOnlyWhenEveryGivenFilterDoes() throws Exception {
        JsonNode withJob = JSON.readTree("""
                {"ts":"2026-11-23T13:59:00.000001Z","verdict":"block","job":{"id":"j-1"}}""");
        JsonNode withoutJob = JSON.readTree("""
                {"ts":"2026-11-23T13:59:00.000001Z","verdict":"block"}""");
        EventQuery job = EventQuery.parse(Map.of("job", List.of("j-1")), NOW);
        assertThat(job.matches(withJob)).isTrue();
        assertThat(job.matches(withoutJob)).isFalse();
        assertThat(EventQuery.parse(Map.of("verdict", List.of("allow")), NOW).matches(withJob)).isFalse();
        assertThat(EventQuery.parse(Map.of("since", List.of("1m")), NOW).matches(withJob)).isTrue();
        assertThat(EventQuery.parse(Map.of("since", List.of("30s")), NOW).matches(withJob)).isFalse();
        assertThat(EventQuery.parse(Map.of("since", List.of("30s")), NOW).matches(JSON.readTree("{}"))).isFalse();
    }

    @Test
    void mistakesNameTheParameterAndWhatItAccepts() {
        assertThatThrownBy(() -> EventQuery.parse(Map.of("since", List.of("-5m")), NOW))
                .hasMessageContaining("since '-5m' is neither a duration (e.g. 30s, 10m, 2h, 1d) nor an RFC 3339 time");
        assertThatThrownBy(() -> EventQuery.parse(Map.of("since", List.of("10 minutes")), NOW))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> EventQuery.parse(Map.of("verdict", List.of("block,")), NOW))
                .hasMessageContaining("verdict '' is not one of allow, block, would-block, detect");
        assertThatThrownBy(() -> EventQuery.parse(Map.of("follow", List.of("1")), NOW))
                .hasMessage("follow '1' must be true or false");
        assertThatThrownBy(() -> EventQuery.parse(Map.of("limit", List.of("5")), NOW))
                .hasMessageContaining("unknown parameter 'limit'");
    }
}
