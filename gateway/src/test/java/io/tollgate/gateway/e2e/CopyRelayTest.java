package io.tollgate.gateway.e2e;

/** The fallback relay: bytes copied through Netty's pooled buffers. */
class CopyRelayTest extends RelayContract {
    @Override
    String relayMode() {
        return "copy";
    }
}
