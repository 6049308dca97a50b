package dev.mvp.signaling.dist;

import org.slf4j.ILoggerFactory;
import org.slf4j.IMarkerFactory;
import org.slf4j.Logger;
import org.slf4j.helpers.BasicMDCAdapter;
import org.slf4j.helpers.BasicMarkerFactory;
import org.slf4j.spi.MDCAdapter;
import org.slf4j.spi.SLF4JServiceProvider;

/**
 * The runnable jar's slf4j provider for {@code LOG_FORMAT=json}: one JSON object per line on standard error
 * ({@link JsonLogLine}). The launcher chooses it by name with the {@code slf4j.provider} system property; it
 * is not listed for the service loader, so without that property slf4j-simple writes the text lines as
 * before.
 *
 * <p>Levels are the ones the launcher writes for slf4j-simple ({@code org.slf4j.simpleLogger.defaultLogLevel}
 * and {@code org.slf4j.simpleLogger.log.NAME}), so {@code LOG_LEVEL} means the same in both formats.
 */
public final class JsonLogProvider implements SLF4JServiceProvider {
    private final BasicMarkerFactory markers = new BasicMarkerFactory();
    private final BasicMDCAdapter mdc = new BasicMDCAdapter();
    private ILoggerFactory loggers;

    /** Called by slf4j. */
    public JsonLogProvider() {}

    @Override
    public ILoggerFactory getLoggerFactory() {
        return loggers;
    }

    @Override
    public IMarkerFactory getMarkerFactory() {
        return markers;
    }

    @Override
    public MDCAdapter getMDCAdapter() {
        return mdc;
    }

    @Override
    public String getRequestedApiVersion() {
        return "2.0.99";
    }

    @Override
    public void initialize() {
        LogLevels levels = LogLevels.fromSystemProperties();
        java.util.concurrent.ConcurrentMap<String, Logger> made = new java.util.concurrent.ConcurrentHashMap<>();
        loggers = name -> made.computeIfAbsent(name, n -> new JsonLogger(n, levels.of(n)));
    }
}
