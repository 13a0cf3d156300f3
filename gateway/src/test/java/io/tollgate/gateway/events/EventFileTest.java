package io.tollgate.gateway.events;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The events file rotates by size, keeps the configured number of old files and never loses or splits a line. */
class EventFileTest {
    private static final long MAX_SIZE = 4096;

    @TempDir
    Path dir;

    @Test
    void rotatesBeforeALineWouldPassTheMaximumAndKeepsEveryEventInOrder() throws Exception {
        Path file = dir.resolve("events.jsonl");
        List<String> written = new ArrayList<>();
        try (EventFile events = EventFile.open(file, MAX_SIZE, 10)) {
            for (int i = 0; i < 100; i++) {
                Event e = event(i);
                written.add(EventJson.toLine(e));
                events.record(e);
            }
        }
        List<Path> files = new ArrayList<>();
        for (int n = 10; n >= 1; n--) {
            if (Files.exists(dir.resolve("events.jsonl." + n))) {
                files.add(dir.resolve("events.jsonl." + n));
            }
        }
        files.add(file);
        assertThat(files).hasSizeGreaterThan(3);
        List<String> read = new ArrayList<>();
        for (Path f : files) {
            assertThat(Files.size(f)).as(f.toString()).isLessThanOrEqualTo(MAX_SIZE);
            read.addAll(Files.readAllLines(f));
        }
        assertThat(read).isEqualTo(written);
        assertThat(dir.resolve("events.jsonl.11")).doesNotExist();
    }

    @Test
    void keepsOnlyTheNewestRotatedFiles() throws Exception {
        Path file = dir.resolve("events.jsonl");
        List<String> written = new ArrayList<>();
        try (EventFile events = EventFile.open(file, MAX_SIZE, 2)) {
            for (int i = 0; i < 200; i++) {
                Event e = event(i);
                written.add(EventJson.toLine(e));
                events.record(e);
            }
            assertThat(awaitRotations(events)).isGreaterThan(2);
        }
        try (var listing = Files.list(dir)) {
            assertThat(listing.map(p -> p.getFileName().toString()).sorted())
                    .containsExactly("events.jsonl", "events.jsonl.1", "events.jsonl.2");
        }
        List<String> kept = new ArrayList<>(Files.readAllLines(dir.resolve("events.jsonl.2")));
        kept.addAll(Files.readAllLines(dir.resolve("events.jsonl.1")));
        kept.addAll(Files.readAllLines(file));
        assertThat(kept).isEqualTo(written.subList(written.size() - kept.size(), written.size()));
    }

    @Test
    void aReopenedFileCountsWhatItAlreadyHolds() throws Exception {
        Path file = dir.resolve("events.jsonl");
        Files.writeString(file, "x".repeat((int) MAX_SIZE - 10) + "\n");
        try (EventFile events = EventFile.open(file, MAX_SIZE, 3)) {
            events.record(event(1));
        }
        assertThat(Files.readString(dir.resolve("events.jsonl.1"))).startsWith("xxxx");
        assertThat(Files.readAllLines(file)).containsExactly(EventJson.toLine(event(1)));
    }

    private static long awaitRotations(EventFile events) throws InterruptedException {
        for (int i = 0; i < 200 && events.rotations() < 3; i++) {
            Thread.sleep(25);
        }
        return events.rotations();
    }

    private static Event event(int i) {
        return new Event("2026-11-23T14:00:00.000000Z", "gw-1", "tcp", "block", "not-allowlisted", null, "10.10.0.5",
                "198.51.100.7:443", "host-" + i + ".example", null, null, null, null, null, null, null, null, null,
                "host-" + i + ".example is not on the allowlist of policy ci", null, null, null);
    }
}
