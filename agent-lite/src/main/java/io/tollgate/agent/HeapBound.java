package io.tollgate.agent;

import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Keeps the agent's heap near its live data. The serial collector collects the old generation only when it cannot
 * grow any more, and grows it whenever a young collection promotes more than fits. Under load something is always
 * promoted (records in flight at a young collection, the exited processes kept for late connections), so garbage
 * piles up in the old generation until the heap reaches {@code -Xmx}, and every page it touched stays resident: a
 * 60 000-connection burst took the agent from 44 to 58 MiB. A full collection whenever the committed heap has grown
 * past a bound keeps the old generation small instead; {@code -Xmx} stays the cap for data that is really live (the
 * reporter's queue while the gateway is unreachable). Each collection of the few MiB costs ~10 ms, and the bound
 * follows the live data (twice what survived the last one), so a growing live set is not collected over and over.
 * Called by the agent's polling thread only.
 */
public final class HeapBound {
    /** The system property (whole MiB) the launcher sets for the agent's own small JVM; absent: no bound. */
    public static final String PROPERTY = "tollgate.agent.heapBoundMiB";
    private static final long MIB = 1024 * 1024;
    /** At most one collection this often, whatever the heap does. */
    private static final long MIN_GAP_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final long floor;
    private final LongSupplier committed;
    private final LongSupplier used;
    private final Runnable collect;
    private long bound;
    private long committedAfterLast;
    private long notBefore;
    private long collections;

    /**
     * {@code committed} and {@code used} measure the heap ({@link Runtime#totalMemory()} and total minus free),
     * {@code collect} collects it fully ({@link System#gc()}).
     */
    HeapBound(long floorBytes, LongSupplier committed, LongSupplier used, Runnable collect, long nowNanos) {
        this.floor = floorBytes;
        this.bound = floorBytes;
        this.committed = committed;
        this.used = used;
        this.collect = collect;
        this.notBefore = nowNanos;
    }

    /** The bound the launcher asks for with {@value #PROPERTY}, or null when it asks for none. */
    public static HeapBound fromSystemProperty() {
        String value = System.getProperty(PROPERTY);
        if (value == null) {
            return null;
        }
        long mib;
        try {
            mib = Long.parseLong(value.strip());
        } catch (NumberFormatException e) {
            mib = -1;
        }
        if (mib < 1) {
            throw new IllegalArgumentException("-D" + PROPERTY + "=" + value + " is not a whole number of MiB"
                    + " (e.g. 6); fix the agent's JVM options in the launcher or TOLLGATE_JAVA_OPTS");
        }
        Runtime runtime = Runtime.getRuntime();
        return new HeapBound(mib * MIB, runtime::totalMemory, () -> runtime.totalMemory() - runtime.freeMemory(),
                System::gc, System.nanoTime());
    }

    /** Collects when the committed heap grew past the bound since the last collection; true when it did. */
    boolean check(long nowNanos) {
        long now = committed.getAsLong();
        if (now <= bound || now <= committedAfterLast || nowNanos - notBefore < 0) {
            return false;
        }
        collect.run();
        collections++;
        notBefore = nowNanos + MIN_GAP_NANOS;
        committedAfterLast = committed.getAsLong();
        bound = Math.max(floor, 2 * used.getAsLong());
        return true;
    }

    /** Full collections this bound asked for. */
    long collections() {
        return collections;
    }
}
