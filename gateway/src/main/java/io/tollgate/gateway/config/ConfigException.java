package io.tollgate.gateway.config;

/** The configuration file cannot be used; the message says where and what to change. */
public final class ConfigException extends Exception {
    public ConfigException(String message) {
        super(message);
    }

    public ConfigException(String message, Throwable cause) {
        super(message, cause);
    }
}
