package dev.mvp.signaling.dist;

import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import org.slf4j.event.Level;

/**
 * The level of each logger, read from slf4j-simple's properties as the launcher sets them: a default, and
 * overrides by logger name prefix ({@code org.slf4j.simpleLogger.log.org.java_websocket=off}); the longest
 * matching prefix wins, as in slf4j-simple.
 */
final class LogLevels {
    static final String PREFIX = "org.slf4j.simpleLogger.";
    /** Below every level: nothing is logged. */
    static final int OFF = Integer.MAX_VALUE;

    private final int defaultLevel;
    private final Map<String, Integer> byName;

    private LogLevels(int defaultLevel, Map<String, Integer> byName) {
        this.defaultLevel = defaultLevel;
        this.byName = Map.copyOf(byName);
    }

    static LogLevels fromSystemProperties() {
        return from(System.getProperties());
    }

    static LogLevels from(Properties properties) {
        int fallback = parse(properties.getProperty(PREFIX + "defaultLogLevel"), Level.INFO.toInt());
        Map<String, Integer> overrides = new java.util.HashMap<>();
        for (String key : properties.stringPropertyNames()) {
            if (key.startsWith(PREFIX + "log.")) {
                overrides.put(key.substring((PREFIX + "log.").length()), parse(properties.getProperty(key), fallback));
            }
        }
        return new LogLevels(fallback, overrides);
    }

    /** {@return the least level the named logger writes, as {@link Level#toInt()}, or {@link #OFF}} */
    int of(String loggerName) {
        String name = loggerName;
        while (true) {
            Integer level = byName.get(name);
            if (level != null) {
                return level;
            }
            int dot = name.lastIndexOf('.');
            if (dot < 0) {
                return defaultLevel;
            }
            name = name.substring(0, dot);
        }
    }

    private static int parse(String value, int fallback) {
        if (value == null) {
            return fallback;
        }
        return switch (value.trim().toLowerCase(Locale.ROOT)) {
            case "trace" -> Level.TRACE.toInt();
            case "debug" -> Level.DEBUG.toInt();
            case "info" -> Level.INFO.toInt();
            case "warn" -> Level.WARN.toInt();
            case "error" -> Level.ERROR.toInt();
            case "off" -> OFF;
            default -> fallback;
        };
    }
}
