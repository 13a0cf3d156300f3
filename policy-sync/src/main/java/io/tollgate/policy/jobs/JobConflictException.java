package io.tollgate.policy.jobs;

import com.google.common.net.InetAddresses;
import java.net.InetAddress;

/** A registration for an address that already holds a live job: a job cannot replace itself (or another one). */
public final class JobConflictException extends Exception {
    public JobConflictException(InetAddress ip, Job holder) {
        super(InetAddresses.toAddrString(ip) + " already holds live job " + holder.id() + " (started "
                + holder.startedAt() + "); it must be finished first");
    }
}
