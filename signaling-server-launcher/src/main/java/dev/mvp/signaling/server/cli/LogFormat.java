package dev.mvp.signaling.server.cli;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** How the runnable jar writes its log lines: for people ({@code text}) or for log collectors ({@code json}). */
enum LogFormat {
    /** {@code 2026-01-01T12:00:00.000Z [thread] LEVEL Logger - message}, from slf4j-simple. */
    TEXT,
    /** One JSON object per line, from the runnable jar's own slf4j provider. */
    JSON;

    /** {@return the name as users write it, e.g. {@code json}} */
    String cliName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * The format called {@code name}, ignoring case.
     *
     * @throws IllegalArgumentException naming the allowed values when {@code name} is none of them
     */
    static LogFormat parse(String name) {
        String wanted = name == null ? "" : name.trim().toLowerCase(Locale.ROOT);
        for (LogFormat format : values()) {
            if (format.cliName().equals(wanted)) {
                return format;
            }
        }
        throw new IllegalArgumentException("unknown log format '" + name + "'; allowed: "
                + Arrays.stream(values()).map(LogFormat::cliName).collect(Collectors.joining(", ")));
    }

    @Override
    public String toString() {
        return cliName();
    }
}
