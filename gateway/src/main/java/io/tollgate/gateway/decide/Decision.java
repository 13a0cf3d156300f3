package io.tollgate.gateway.decide;

/**
 * The outcome for one connection.
 *
 * @param policyName the policy that applied, or {@code null} when none covers the source
 * @param policyVersion that policy's version
 * @param explanation one sentence an operator reads in the block log
 */
public record Decision(Verdict verdict, Reason reason, String policyName, String policyVersion, String explanation) {}
