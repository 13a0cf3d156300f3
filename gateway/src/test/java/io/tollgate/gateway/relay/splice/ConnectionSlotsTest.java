package io.tollgate.gateway.relay.splice;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ConnectionSlotsTest {
    private static SplicedConnection connection(long id) {
        return new SplicedConnection(id, -1, -1); // the constructor only stores the descriptors
    }

    @Test
    void findsEachConnectionByItsSlot() {
        var slots = new ConnectionSlots();
        SplicedConnection a = connection(1);
        SplicedConnection b = connection(2);
        int slotA = slots.put(a);
        int slotB = slots.put(b);
        assertThat(slotA).isNotEqualTo(slotB);
        assertThat(slots.get(slotA)).isSameAs(a);
        assertThat(slots.get(slotB)).isSameAs(b);
        assertThat(slots.size()).isEqualTo(2);
    }

    @Test
    void unknownOrNegativeSlotsFindNothing() {
        var slots = new ConnectionSlots();
        slots.put(connection(1));
        assertThat(slots.get(-1)).isNull();
        assertThat(slots.get(1)).isNull();
        assertThat(slots.get(1_000_000)).isNull();
    }

    @Test
    void aRemovedSlotIsEmptyAndReused() {
        var slots = new ConnectionSlots();
        int first = slots.put(connection(1));
        slots.put(connection(2));
        slots.remove(first);
        assertThat(slots.get(first)).isNull();
        assertThat(slots.size()).isEqualTo(1);
        SplicedConnection c = connection(3);
        assertThat(slots.put(c)).isEqualTo(first);
        assertThat(slots.get(first)).isSameAs(c);
    }

    @Test
    void removingTwiceCountsOnce() {
        var slots = new ConnectionSlots();
        int slot = slots.put(connection(1));
        slots.put(connection(2));
        slots.remove(slot);
        slots.remove(slot);
        assertThat(slots.size()).isEqualTo(1);
        assertThat(slots.put(connection(3))).isEqualTo(slot);
        assertThat(slots.put(connection(4))).isNotEqualTo(slot);
    }

    @Test
    void growsPastItsInitialCapacityAndDrainsEverything() {
        var slots = new ConnectionSlots();
        List<SplicedConnection> all = new ArrayList<>();
        Set<Integer> used = new HashSet<>();
        for (int i = 0; i < 1_000; i++) {
            SplicedConnection c = connection(i);
            all.add(c);
            assertThat(used.add(slots.put(c))).isTrue();
        }
        for (int i = 0; i < 1_000; i += 2) {
            slots.remove(i);
        }
        assertThat(slots.size()).isEqualTo(500);
        List<SplicedConnection> drained = new ArrayList<>();
        slots.drain(drained::add);
        assertThat(drained).hasSize(500).allMatch(c -> c.id % 2 == 1);
        assertThat(slots.size()).isZero();
        assertThat(slots.get(1)).isNull();
    }
}
