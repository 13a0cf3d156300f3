package io.tollgate.gateway.demo;

import java.util.List;

/**
 * One network call of the simulated build: what it pretends to be, the client and its arguments that make it,
 * whether it should succeed, and the events (with verdict and reason) the gateway must record for it.
 */
record BuildStep(String title, Client client, List<String> args, boolean allowed, List<ExpectedEvent> events) {}
