package io.tollgate.gateway.e2e;

/** The default relay: splice(2) through pipes, bytes never enter the JVM. */
class SpliceRelayTest extends RelayContract {
    @Override
    String relayMode() {
        return "splice";
    }
}
