package io.tollgate.gateway.demo;

import java.util.List;

/**
 * One network call of the simulated build: what it pretends to be, the server it really connects to
 * ({@code host}, at {@code ip:port}), the curl arguments that make it, and the verdict and reason the gateway must give.
 */
record BuildStep(String title, String host, String ip, int port, String verdict, String reason, List<String> curlArgs) {

    /** The destination as the gateway's events name it ({@code dst}). */
    String target() {
        return ip + ":" + port;
    }

    boolean allowed() {
        return "allow".equals(verdict);
    }
}
