package io.tollgate.gateway.events;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class EventFanOutTest {
    private static final Event EVENT = new Event("2026-11-23T10:15:30Z", "gw", "tcp", "allow", "allowlisted", null,
            "10.10.0.2", "198.51.100.7:443", "github.com", null, null, null, null, null, null, null, null, null, null,
            null, null, null);

    @Test
    void sinksThatWriteLinesShareOneSerializationAndTheOthersGetTheEvent() {
        List<EventLine> file = new ArrayList<>();
        List<EventLine> cluster = new ArrayList<>();
        List<Event> log = new ArrayList<>();
        LineSink fileSink = file::add;
        LineSink clusterSink = cluster::add;
        new EventFanOut(List.of(fileSink, clusterSink, log::add)).record(EVENT);

        assertThat(file).hasSize(1);
        assertThat(cluster).singleElement().isSameAs(file.getFirst());
        assertThat(log).containsExactly(EVENT);
        String line = file.getFirst().json();
        assertThat(cluster.getFirst().json()).as("serialized once, the same string for both").isSameAs(line);
        assertThat(line).isEqualTo(EventJson.toLine(EVENT));
    }
}
