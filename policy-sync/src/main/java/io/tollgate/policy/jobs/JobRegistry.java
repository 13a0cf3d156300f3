package io.tollgate.policy.jobs;

import com.google.common.net.InetAddresses;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * The cluster's running jobs, {@value #MAP}: runner address (its canonical text) → {@link Job}. An address holds at
 * most one live job; a job ends when its runner finishes it with the job's secret, or after {@code maxDuration} (a
 * runner that died without finishing must not keep its address, or a stale job, forever). Calls may wait on the
 * cluster: keep them off the data path, which reads a {@link JobView}.
 */
public final class JobRegistry {
    public static final String MAP = "tollgate.jobs";

    /** A new job and the finish secret its runner gets once. */
    public record Registration(Job job, String finishSecret) {}

    public enum Finish { FINISHED, NO_JOB, WRONG_SECRET }

    private final IMap<String, Job> jobs;
    private final Duration maxDuration;
    private final Clock clock;

    public JobRegistry(HazelcastInstance hazelcast, Duration maxDuration, Clock clock) {
        this.jobs = hazelcast.getMap(MAP);
        this.maxDuration = maxDuration;
        this.clock = clock;
    }

    /** Registers the job unless its address already holds a live one. */
    public Registration register(JobRequest request) throws JobConflictException {
        String secret = FinishSecret.generate();
        Job job = new Job(UUID.randomUUID().toString(), request.repo(), request.workflow(), request.job(),
                request.runId(), request.runAttempt(), request.runnerName(), clock.instant(),
                FinishSecret.digest(secret));
        Job holder = jobs.putIfAbsent(key(request.ip()), job, maxDuration.toMillis(), TimeUnit.MILLISECONDS);
        if (holder != null) {
            throw new JobConflictException(request.ip(), holder);
        }
        return new Registration(job, secret);
    }

    /** Ends the job at {@code ip} if {@code presentedSecret} is its finish secret. */
    public Finish finish(InetAddress ip, String presentedSecret) {
        String key = key(ip);
        Job job = jobs.get(key);
        if (job == null) {
            return Finish.NO_JOB;
        }
        if (!FinishSecret.matches(presentedSecret, job.finishSecretSha256())) {
            return Finish.WRONG_SECRET;
        }
        // Only this very job: a job registered in between stays.
        return jobs.remove(key, job) ? Finish.FINISHED : Finish.NO_JOB;
    }

    /** The live jobs by runner address, in address order. */
    public Map<String, Job> active() {
        return new TreeMap<>(jobs);
    }

    static String key(InetAddress ip) {
        return InetAddresses.toAddrString(ip);
    }
}
