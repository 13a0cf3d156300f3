package io.tollgate.bench.macro;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/** The workloads of the peer benchmark, chosen with {@code --workloads bulk,connections,latency,idle}. */
enum Workload {
    BULK, CONNECTIONS, LATENCY, IDLE;

    String option() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** A comma-separated list of workload names; {@code all} (the default) is every workload. */
    static Set<Workload> parse(String list) {
        if (list.strip().equals("all")) {
            return EnumSet.allOf(Workload.class);
        }
        Set<Workload> chosen = EnumSet.noneOf(Workload.class);
        for (String name : list.split(",")) {
            chosen.add(Arrays.stream(values()).filter(w -> w.option().equals(name.strip())).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("unknown workload '" + name.strip()
                            + "' in --workloads (choose from all, " + Arrays.stream(values()).map(Workload::option)
                            .collect(Collectors.joining(", ")) + ")")));
        }
        return chosen;
    }
}
