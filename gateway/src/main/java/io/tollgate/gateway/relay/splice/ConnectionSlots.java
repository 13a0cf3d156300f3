package io.tollgate.gateway.relay.splice;

import java.util.Arrays;
import java.util.function.Consumer;

/**
 * The connections of one relay thread, each in a numbered slot that its epoll registrations carry as their data, so
 * an event finds its connection by array index (no boxed key, no hash map node per connection). A freed slot is
 * reused; an event already fetched for a connection that finished meanwhile at worst pumps the slot's new connection
 * once, which finds nothing to move. Confined to the relay thread, except {@link #size()}.
 */
final class ConnectionSlots {
    private SplicedConnection[] slots = new SplicedConnection[64];
    private int[] free = new int[64];
    private int freeCount;
    /** Slots below this index have been handed out at least once. */
    private int highWater;
    private volatile int size;

    /** Stores {@code connection} and returns its slot. */
    int put(SplicedConnection connection) {
        int slot;
        if (freeCount > 0) {
            slot = free[--freeCount];
        } else {
            if (highWater == slots.length) {
                slots = Arrays.copyOf(slots, slots.length * 2);
            }
            slot = highWater++;
        }
        slots[slot] = connection;
        size++;
        return slot;
    }

    /** The connection in {@code slot}, or {@code null} when the slot is empty or was never used. */
    SplicedConnection get(long slot) {
        return slot >= 0 && slot < highWater ? slots[(int) slot] : null;
    }

    void remove(int slot) {
        if (slots[slot] == null) {
            return;
        }
        slots[slot] = null;
        if (freeCount == free.length) {
            free = Arrays.copyOf(free, free.length * 2);
        }
        free[freeCount++] = slot;
        size--;
    }

    /** Calls {@code action} for every stored connection, then empties the table. */
    void drain(Consumer<SplicedConnection> action) {
        for (int i = 0; i < highWater; i++) {
            if (slots[i] != null) {
                SplicedConnection c = slots[i];
                slots[i] = null;
                action.accept(c);
            }
        }
        freeCount = 0;
        highWater = 0;
        size = 0;
    }

    /** Readable from any thread (the active-connections gauge). */
    int size() {
        return size;
    }
}
