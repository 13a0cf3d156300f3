package io.tollgate.gateway.demo;

import io.tollgate.gateway.events.Event;
import io.tollgate.testbed.RecordedQuery;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The demo's verdict: the gateway's events as a table, a summary of what reached the internet, and the list of ways
 * the run differed from what the demo promises (a blocked call that got through, a wrong reason, a missing event, an
 * attacker's name or address that the internet saw, a query at the decoy resolver).
 */
final class DemoReport {
    private final List<StepOutcome> outcomes;
    private final List<Event> events;
    private final InternetLog internet;

    DemoReport(List<StepOutcome> outcomes, List<Event> events, InternetLog internet) {
        this.outcomes = List.copyOf(outcomes);
        this.events = List.copyOf(events);
        this.internet = internet;
    }

    /** Every way this run differs from the expected one; empty when the gateway did its job. */
    List<String> problems() {
        List<String> problems = new ArrayList<>();
        for (StepOutcome outcome : outcomes) {
            BuildStep step = outcome.step();
            if (outcome.reached() != step.allowed()) {
                problems.add("'" + step.title() + "' should have been " + (step.allowed() ? "allowed" : "blocked")
                        + ", but " + outcome.says());
            }
            for (ExpectedEvent expected : step.events()) {
                Optional<Event> event = events.stream().filter(expected::matches).findFirst();
                if (event.isEmpty()) {
                    problems.add("the gateway recorded no event for " + expected.describe()
                            + " ('" + step.title() + "')");
                } else if (!expected.hasOutcomeOf(event.get())) {
                    problems.add(expected.describe() + ": expected " + expected.verdict() + "/" + expected.reason()
                            + ", the gateway recorded " + event.get().verdict() + "/" + event.get().reason());
                }
            }
        }
        SimulatedBuild.ATTACKER_HOSTS.forEach((name, ip) -> {
            long connections = internet.requests().stream().filter(r -> ip.equals(r.serverIp())).count();
            if (connections > 0) {
                problems.add(name + " (" + ip + ") received " + count(connections, "connection", "connections"));
            }
        });
        upstreamNames().stream().filter(DemoReport::isAttackers).forEach(name -> problems.add(
                "the upstream resolver was asked for " + name + ", which should never have left the gateway"));
        if (!internet.decoyQueries().isEmpty()) {
            problems.add("the decoy resolver " + DemoConfig.DECOY_RESOLVER_IP + " received " + decoyQueries()
                    + ": the runner's DNS went around the gateway");
        }
        return problems;
    }

    void print(PrintWriter out) {
        EventTable.print(events, out);
        out.println();
        summary().forEach(out::println);
    }

    /** How many decisions of which kind, and what reached the internet (nothing of the attacker's, no decoy query). */
    List<String> summary() {
        long queries = events.stream().filter(e -> "dns".equals(e.kind())).count();
        long allowed = events.stream().filter(e -> "allow".equals(e.verdict())).count();
        String counts = "%d decisions (%d DNS queries, %d connections): %d allowed, %d blocked".formatted(events.size(),
                queries, events.size() - queries, allowed, events.size() - allowed);
        List<String> reached = reachedNames();
        List<String> attackers = reached.stream().filter(DemoReport::isAttackers).map(EventTable::abbreviate).toList();
        return List.of(counts, "reached the internet: " + inWords(reached.stream().map(EventTable::abbreviate).toList())
                + (attackers.isEmpty() ? "; nothing of the attacker's" : "; BUT " + inWords(attackers)
                + (attackers.size() == 1 ? " is" : " are") + " the attacker's")
                + "; the decoy resolver " + DemoConfig.DECOY_RESOLVER_IP + " saw " + decoyQueries());
    }

    /** The names of the servers that got connections, then the names the upstream resolver was asked for. */
    private List<String> reachedNames() {
        Map<String, String> nameByIp = SimulatedBuild.HOSTS.entrySet().stream()
                .collect(Collectors.toMap(Map.Entry::getValue, Map.Entry::getKey));
        Set<String> names = new LinkedHashSet<>();
        internet.requests().forEach(r -> names.add(nameByIp.getOrDefault(r.serverIp(), r.serverIp())));
        names.addAll(upstreamNames());
        return List.copyOf(names);
    }

    private Set<String> upstreamNames() {
        return internet.upstreamQueries().stream().map(RecordedQuery::name)
                .collect(Collectors.toCollection(LinkedHashSet::new));
    }

    private String decoyQueries() {
        int queries = internet.decoyQueries().size();
        return queries == 0 ? "no query" : count(queries, "query", "queries");
    }

    private static String count(long n, String one, String many) {
        return n + " " + (n == 1 ? one : many);
    }

    private static boolean isAttackers(String name) {
        return SimulatedBuild.ATTACKER_HOSTS.entrySet().stream().anyMatch(host -> name.equals(host.getValue())
                || name.equals(host.getKey()) || name.endsWith("." + host.getKey()));
    }

    private static String inWords(List<String> items) {
        if (items.size() <= 1) {
            return items.isEmpty() ? "nothing" : items.getFirst();
        }
        return String.join(", ", items.subList(0, items.size() - 1)) + " and " + items.getLast();
    }
}
