package io.tollgate.policy.document;

import java.io.Serializable;
import java.util.List;

/**
 * Harden-Runner's {@code lockdown-mode} block: stop the job when one of these runtime detections fires. Tollgate
 * validates and stores it; enforcement belongs to agent-lite's runtime detections, so until then a document with
 * lockdown enabled is accepted with a warning saying it is not enforced.
 */
public record Lockdown(boolean enabled, List<String> detections) implements Serializable {
    /** The detections Harden-Runner's lockdown mode names, in its spelling. */
    public static final List<String> KNOWN = List.of("Reverse-Shell", "Privileged-Container",
            "Runner-Worker-Memory-Read");

    public static final Lockdown OFF = new Lockdown(false, List.of());

    public Lockdown {
        detections = List.copyOf(detections);
    }
}
