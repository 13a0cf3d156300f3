package io.tollgate.agent.process;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** How the job step's parent is recognised by name: {@link ProcessInfo#named}. */
class ProcessInfoTest {
    private static ProcessInfo process(String exe, String... args) {
        return new ProcessInfo(10, 1, exe, List.of(args), 0, 0);
    }

    @Test
    void theExecutablesFileNameCounts() {
        assertTrue(process("/opt/runner/bin/Runner.Worker", "Runner.Worker", "spawnclient").named("Runner.Worker"));
        assertTrue(process("Runner.Worker").named("Runner.Worker"));
    }

    @Test
    void argv0CountsAsSetByExecDashA() {
        assertTrue(process("/usr/bin/sleep", "Runner.Worker", "30").named("Runner.Worker"));
        assertTrue(process("/usr/bin/sleep", "/x/Runner.Worker").named("Runner.Worker"));
        assertTrue(process("", "/opt/runner/bin/Runner.Worker").named("Runner.Worker"));
    }

    @Test
    void onlyAWholeFileNameMatches() {
        assertFalse(process("/opt/bin/MyRunner.Worker", "MyRunner.Worker").named("Runner.Worker"));
        assertFalse(process("/opt/Runner.Worker/bin/sh", "sh", "Runner.Worker").named("Runner.Worker"));
        assertFalse(process("/usr/bin/sh").named("Runner.Worker"));
        assertFalse(process("").named("Runner.Worker"));
    }
}
