package io.tollgate.policy.jobs;

import java.io.Serializable;
import java.time.Instant;

/**
 * A running CI job as registered by its runner (the value of {@code tollgate.jobs}, keyed by the runner's address).
 * Only a SHA-256 digest of the per-job finish secret is kept.
 */
public record Job(String id, String repo, String workflow, String job, String runId, int runAttempt,
        String runnerName, Instant startedAt, String finishSecretSha256) implements Serializable {}
