package io.tollgate.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** {@link HeapBound} against a simulated heap: when it collects, how its bound follows the live data. */
class HeapBoundTest {
    private static final long MIB = 1024 * 1024;
    private static final long SECOND = TimeUnit.SECONDS.toNanos(1);

    /** A heap whose committed size only grows unless a collection shrinks it, as the serial collector's does. */
    private static final class SimulatedHeap {
        long committed = 4 * MIB;
        long used = 2 * MIB;
        long live = 2 * MIB;
        long committedAfterCollection = -1;
        int collections;

        void collect() {
            collections++;
            used = live;
            if (committedAfterCollection >= 0) {
                committed = committedAfterCollection;
            }
        }

        HeapBound bound(long floorMiB) {
            return new HeapBound(floorMiB * MIB, () -> committed, () -> used, this::collect, 0);
        }
    }

    @Test
    void collectsOnlyOnceTheCommittedHeapPassesTheBound() {
        SimulatedHeap heap = new SimulatedHeap();
        HeapBound bound = heap.bound(6);
        heap.committed = 6 * MIB;
        heap.used = 5 * MIB;
        assertFalse(bound.check(SECOND));
        heap.committed = 6 * MIB + 128 * 1024;
        assertTrue(bound.check(2 * SECOND));
        assertEquals(1, heap.collections);
        assertEquals(2 * MIB, heap.used);
    }

    @Test
    void aHeapThatDoesNotShrinkIsNotCollectedAgainUntilItGrowsAgain() {
        SimulatedHeap heap = new SimulatedHeap();
        HeapBound bound = heap.bound(6);
        heap.committed = 7 * MIB;
        assertTrue(bound.check(SECOND));
        for (int s = 2; s < 20; s++) {
            assertFalse(bound.check(s * SECOND), "the heap stayed at 7 MiB, nothing to win");
        }
        heap.committed = 7 * MIB + 256 * 1024;
        assertTrue(bound.check(20 * SECOND));
        assertEquals(2, heap.collections);
    }

    @Test
    void collectsAtMostOnceASecond() {
        SimulatedHeap heap = new SimulatedHeap();
        HeapBound bound = heap.bound(6);
        heap.committed = 7 * MIB;
        assertTrue(bound.check(SECOND));
        heap.committed = 8 * MIB;
        assertFalse(bound.check(SECOND + SECOND / 2));
        assertTrue(bound.check(2 * SECOND));
        assertEquals(2, bound.collections());
    }

    @Test
    void theBoundFollowsLiveDataThatOutgrowsTheFloor() {
        SimulatedHeap heap = new SimulatedHeap();
        heap.committedAfterCollection = 6 * MIB;
        HeapBound bound = heap.bound(6);
        heap.live = 5 * MIB; // the reporter's queue while the gateway is unreachable
        heap.committed = 7 * MIB;
        assertTrue(bound.check(SECOND));
        heap.committed = 9 * MIB;
        assertFalse(bound.check(5 * SECOND), "twice the live data (10 MiB) is the bound now");
        heap.committed = 11 * MIB;
        assertTrue(bound.check(6 * SECOND));
        heap.live = MIB; // the queue was sent: the next collection brings the bound back to the floor
        heap.committed = 11 * MIB;
        assertTrue(bound.check(7 * SECOND));
        heap.committed = 6 * MIB + 512 * 1024;
        assertTrue(bound.check(8 * SECOND));
        assertEquals(4, heap.collections);
    }

    @Test
    void noPropertyMeansNoBoundAndABadOneIsAClearError() {
        String before = System.getProperty(HeapBound.PROPERTY);
        try {
            System.clearProperty(HeapBound.PROPERTY);
            assertNull(HeapBound.fromSystemProperty());
            System.setProperty(HeapBound.PROPERTY, "6m");
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, HeapBound::fromSystemProperty);
            assertTrue(e.getMessage().contains("not a whole number of MiB"), e.getMessage());
            System.setProperty(HeapBound.PROPERTY, "6");
            assertNotNull(HeapBound.fromSystemProperty());
        } finally {
            if (before == null) {
                System.clearProperty(HeapBound.PROPERTY);
            } else {
                System.setProperty(HeapBound.PROPERTY, before);
            }
        }
    }
}
