package io.tollgate.gateway.demo;

import io.tollgate.gateway.events.Event;
import io.tollgate.testbed.RecordedRequest;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The demo's verdict: the gateway's events as a table, a one-line summary, and the list of ways the run differed
 * from what the demo promises (a blocked call that got through, a wrong reason, a missing event).
 */
final class DemoReport {
    private static final int DETAIL_WIDTH = 64;
    private static final List<String> HEADINGS = List.of("VERDICT", "REASON", "DESTINATION", "POLICY", "DETAIL");

    private final List<StepOutcome> outcomes;
    private final List<Event> events;
    private final List<RecordedRequest> requests;

    DemoReport(List<StepOutcome> outcomes, List<Event> events, List<RecordedRequest> requests) {
        this.outcomes = List.copyOf(outcomes);
        this.events = List.copyOf(events);
        this.requests = List.copyOf(requests);
    }

    /** Every way this run differs from the expected one; empty when the gateway did its job. */
    List<String> problems() {
        List<String> problems = new ArrayList<>();
        for (StepOutcome outcome : outcomes) {
            BuildStep step = outcome.step();
            if (outcome.reached() != step.allowed()) {
                problems.add(step.allowed()
                        ? "'" + step.title() + "' should have been allowed, but curl says: " + outcome.curlSays()
                        : "'" + step.title() + "' should have been blocked, but got through (" + outcome.curlSays() + ")");
            }
            if (!step.allowed() && reachedServer(step)) {
                problems.add("'" + step.title() + "' should have been blocked, but " + step.target()
                        + " received the connection");
            }
            Optional<Event> event = eventFor(step);
            if (event.isEmpty()) {
                problems.add("the gateway recorded no event for " + step.target() + " ('" + step.title() + "')");
            } else if (!step.verdict().equals(event.get().verdict()) || !step.reason().equals(event.get().reason())) {
                problems.add("'" + step.title() + "': expected " + step.verdict() + "/" + step.reason()
                        + ", the gateway recorded " + event.get().verdict() + "/" + event.get().reason());
            }
        }
        return problems;
    }

    void print(PrintWriter out) {
        List<List<String>> rows = new ArrayList<>(List.of(HEADINGS));
        events.forEach(e -> rows.add(row(e)));
        int[] widths = new int[HEADINGS.size()];
        rows.forEach(row -> {
            for (int i = 0; i < row.size(); i++) {
                widths[i] = Math.max(widths[i], row.get(i).length());
            }
        });
        for (List<String> row : rows) {
            var line = new StringBuilder("  ");
            for (int i = 0; i < row.size(); i++) {
                line.append(i == row.size() - 1 ? row.get(i) : pad(row.get(i), widths[i] + 2));
            }
            out.println(line.toString().stripTrailing());
        }
        out.println();
        out.println(summary());
    }

    String summary() {
        long allowed = events.stream().filter(e -> "allow".equals(e.verdict())).count();
        String counts = events.size() + " connections: " + allowed + " allowed, " + (events.size() - allowed) + " blocked";
        List<BuildStep> blocked = outcomes.stream().map(StepOutcome::step).filter(step -> !step.allowed()).toList();
        List<String> leaked = blocked.stream().filter(this::reachedServer).map(BuildStep::host).distinct().toList();
        return leaked.isEmpty()
                ? counts + "; nothing reached " + inWords(blocked.stream().map(BuildStep::host).distinct().toList(), "or")
                : counts + "; BUT " + inWords(leaked, "and") + " received connections that should have been blocked";
    }

    private Optional<Event> eventFor(BuildStep step) {
        return events.stream().filter(e -> step.target().equals(e.dst())).findFirst();
    }

    private boolean reachedServer(BuildStep step) {
        return requests.stream().anyMatch(r -> step.ip().equals(r.serverIp()) && step.port() == r.port());
    }

    private static List<String> row(Event e) {
        String name = e.sni() != null ? e.sni() : e.host();
        String port = e.dst().substring(e.dst().lastIndexOf(':') + 1);
        return List.of(e.verdict(), e.reason(), name == null ? e.dst() : name + ":" + port,
                e.policy() == null ? "-" : e.policy().name(), e.detail() == null ? "-" : reasonOnly(e.detail()));
    }

    /** The explanation up to its advice ("...; add it if ..."), cut to the column width. */
    private static String reasonOnly(String detail) {
        int advice = detail.indexOf("; ");
        String text = advice < 0 ? detail : detail.substring(0, advice);
        return text.length() <= DETAIL_WIDTH ? text : text.substring(0, DETAIL_WIDTH - 1) + "…";
    }

    private static String pad(String text, int width) {
        return text + " ".repeat(width - text.length());
    }

    private static String inWords(List<String> items, String conjunction) {
        if (items.size() <= 1) {
            return String.join("", items);
        }
        return String.join(", ", items.subList(0, items.size() - 1)) + " " + conjunction + " " + items.getLast();
    }
}
