package io.tollgate.agent.report;

import java.util.List;

/** The {@code process} the gateway puts on an event: {@code step} is the job step's command line, or null. */
public record ProcessRef(int pid, int ppid, String exe, List<String> args, String step) {}
