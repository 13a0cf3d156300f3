package io.tollgate.policy.store;

import java.io.Serializable;
import java.time.Instant;
import java.util.List;

/**
 * One accepted change of a policy document: who made it, when, what it changed, and the document text it leaves in
 * force ({@code null} after a delete). {@code signature} is the base64 Ed25519 signature of {@code text} when the
 * change was pushed signed; a rollback carries the signature of the text it restores.
 */
public record PolicyRevision(String name, int version, Action action, String text, String signature, String author,
        Instant at, int restoredVersion, List<String> changes) implements Serializable {

    public PolicyRevision {
        changes = List.copyOf(changes);
    }

    public enum Action {
        PUT, ROLLBACK, DELETE
    }

    public boolean deleted() {
        return action == Action.DELETE;
    }
}
