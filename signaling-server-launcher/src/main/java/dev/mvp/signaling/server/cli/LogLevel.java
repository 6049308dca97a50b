package dev.mvp.signaling.server.cli;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The log levels the launcher accepts: the names the seed server's uvicorn accepts, mapped onto the
 * levels of an slf4j backend.
 */
enum LogLevel {
    CRITICAL("error"),
    ERROR("error"),
    WARNING("warn"),
    INFO("info"),
    DEBUG("debug"),
    TRACE("trace");

    private final String slf4jName;

    LogLevel(String slf4jName) {
        this.slf4jName = slf4jName;
    }

    /** The slf4j level this maps to ({@code critical} has no slf4j counterpart and becomes {@code error}). */
    public String slf4jName() {
        return slf4jName;
    }

    /** The name as users write it, e.g. {@code warning}. */
    public String cliName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * The level called {@code name}, ignoring case.
     *
     * @throws IllegalArgumentException naming the allowed values when {@code name} is none of them
     */
    public static LogLevel parse(String name) {
        String wanted = name == null ? "" : name.trim().toLowerCase(Locale.ROOT);
        for (LogLevel level : values()) {
            if (level.cliName().equals(wanted)) {
                return level;
            }
        }
        throw new IllegalArgumentException("unknown log level '" + name + "'; allowed: " + allowed());
    }

    /** The accepted names, comma-separated. */
    public static String allowed() {
        return Arrays.stream(values()).map(LogLevel::cliName).collect(Collectors.joining(", "));
    }

    @Override
    public String toString() {
        return cliName();
    }
}
