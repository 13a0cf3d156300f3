package io.tollgate.agent.report;

/** Where the agent sends what it learned. Called from the agent's polling thread; must not block. */
public interface AttributionSink {
    void connection(ConnectionAttribution attribution);

    void https(HttpsRequest request);
}
