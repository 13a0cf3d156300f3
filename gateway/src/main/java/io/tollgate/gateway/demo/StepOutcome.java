package io.tollgate.gateway.demo;

/** What the client saw for one build step: whether a server answered, and the client's own words about it. */
record StepOutcome(BuildStep step, boolean reached, String says) {}
