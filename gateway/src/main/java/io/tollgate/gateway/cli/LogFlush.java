package io.tollgate.gateway.cli;

import ch.qos.logback.classic.LoggerContext;
import org.slf4j.LoggerFactory;

/** Writes out log lines still queued in the asynchronous appender; the last thing a stopping node does. */
final class LogFlush {
    private LogFlush() {}

    static void flush() {
        if (LoggerFactory.getILoggerFactory() instanceof LoggerContext logback) {
            logback.stop();
        }
    }
}
