package io.tollgate.gateway.nft;

/** The node's packet interception could not be set up or removed; the message says what to do. */
public final class NetworkSetupException extends Exception {
    public NetworkSetupException(String message) {
        super(message);
    }
}
