package io.tollgate.gateway.demo;

/** What curl saw for one build step: whether a server answered, and curl's own words about it. */
record StepOutcome(BuildStep step, boolean reached, String curlSays) {}
