package io.tollgate.gateway.events;

import com.hazelcast.config.InMemoryFormat;
import com.hazelcast.config.InvalidConfigurationException;
import com.hazelcast.config.RingbufferConfig;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.ringbuffer.Ringbuffer;

/**
 * The cluster-wide event stream {@code tollgate.events}: a Hazelcast ringbuffer of event JSON lines that every node
 * appends to and any node reads from. It holds the last {@code capacity} events of the whole fleet (the oldest are
 * overwritten), one backup on another member. A ringbuffer rather than a reliable topic (which is built on one)
 * because readers need the backlog and resume by sequence number, so a slow reader costs the node nothing.
 */
public final class ClusterEventStream {
    public static final String NAME = "tollgate.events";

    private ClusterEventStream() {}

    /** Configures the ringbuffer (cluster-wide, the same on every member) and returns it. */
    public static Ringbuffer<String> open(HazelcastInstance hazelcast, int capacity) {
        RingbufferConfig config = new RingbufferConfig(NAME).setCapacity(capacity).setBackupCount(1)
                .setAsyncBackupCount(0).setTimeToLiveSeconds(0).setInMemoryFormat(InMemoryFormat.BINARY);
        try {
            hazelcast.getConfig().addRingBufferConfig(config);
        } catch (InvalidConfigurationException e) {
            throw new IllegalStateException("the cluster's event stream " + NAME + " is configured differently on"
                    + " another member (" + e.getMessage() + "); set the same gateway.events.cluster-capacity on"
                    + " every node", e);
        }
        return hazelcast.getRingbuffer(NAME);
    }
}
