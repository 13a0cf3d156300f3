package io.tollgate.gateway.demo;

import io.tollgate.gateway.events.Event;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/** The gateway's events as an aligned table: verdict, reason, what was asked for, and why in a few words. */
final class EventTable {
    private static final int DETAIL_WIDTH = 80;
    private static final int LABEL_WIDTH = 10;
    private static final List<String> HEADINGS = List.of("VERDICT", "REASON", "DESTINATION", "DETAIL");

    private EventTable() {}

    static void print(List<Event> events, PrintWriter out) {
        List<List<String>> rows = new ArrayList<>(List.of(HEADINGS));
        events.forEach(e -> rows.add(List.of(e.verdict(), e.reason(), destination(e), detail(e))));
        int[] widths = new int[HEADINGS.size()];
        rows.forEach(row -> {
            for (int i = 0; i < row.size(); i++) {
                widths[i] = Math.max(widths[i], row.get(i).length());
            }
        });
        for (List<String> row : rows) {
            var line = new StringBuilder("  ");
            for (int i = 0; i < row.size(); i++) {
                String cell = row.get(i);
                line.append(i == row.size() - 1 ? cell : cell + " ".repeat(widths[i] + 2 - cell.length()));
            }
            out.println(line.toString().stripTrailing());
        }
    }

    /** {@code attacker.com (DNS A)} for a query, {@code github.com:443} for a named connection, else its address. */
    static String destination(Event e) {
        if ("dns".equals(e.kind())) {
            return abbreviate(e.qname()) + " (DNS " + e.qtype() + ")";
        }
        String name = e.sni() != null ? e.sni() : e.host();
        return name == null ? e.dst() : name + e.dst().substring(e.dst().lastIndexOf(':'));
    }

    /** A name whose first label is too long for a table (an exfiltration payload) with that label cut short. */
    static String abbreviate(String name) {
        int dot = name.indexOf('.');
        return dot > LABEL_WIDTH ? name.substring(0, LABEL_WIDTH) + "…" + name.substring(dot) : name;
    }

    /** The exfiltration flags, or the explanation up to its advice or parenthesis, cut to the column width. */
    private static String detail(Event e) {
        if (e.flags() != null) {
            return "looks like exfiltration: " + String.join(", ", e.flags());
        }
        if (e.detail() == null) {
            return "-";
        }
        String text = e.detail().split("; | \\(", 2)[0];
        if (e.qname() != null) {
            text = text.replace(e.qname(), abbreviate(e.qname()));
        }
        return text.length() <= DETAIL_WIDTH ? text : text.substring(0, DETAIL_WIDTH - 1) + "…";
    }
}
