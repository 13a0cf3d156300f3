package io.tollgate.agent.report;

import io.tollgate.agent.bpf.Tuple;

/** Which process opened the connection {@code tuple}. */
public record ConnectionAttribution(Tuple tuple, ProcessRef process) {}
