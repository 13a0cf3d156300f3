package io.tollgate.bench.macro;

import io.tollgate.testbed.CommandResult;
import io.tollgate.testbed.NetNs;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** One A query with the real {@code dig} from a namespace: the response code and the addresses answered. */
final class DigProbe {
    private static final Pattern STATUS = Pattern.compile("status: ([A-Z]+)");

    record Answer(String status, List<String> addresses) {}

    private DigProbe() {}

    /** Asks {@code server} (port 53) for the A records of {@code name}; null if no answer came (dig exit 9). */
    static Answer ask(NetNs ns, String server, String name) {
        CommandResult r = ns.exec(Duration.ofSeconds(10), "dig", "@" + server, name, "A", "+time=2", "+tries=1",
                "+noall", "+comments", "+answer");
        if (!r.succeeded()) {
            return null;
        }
        Matcher status = STATUS.matcher(r.stdout());
        if (!status.find()) {
            throw new BenchmarkFailure("cannot read dig's output for " + name + ":\n" + r.stdout());
        }
        List<String> addresses = r.stdout().lines().filter(l -> !l.startsWith(";") && !l.isBlank())
                .map(l -> l.split("\\s+")).filter(f -> f.length == 5 && f[3].equals("A")).map(f -> f[4]).toList();
        return new Answer(status.group(1), addresses);
    }
}
