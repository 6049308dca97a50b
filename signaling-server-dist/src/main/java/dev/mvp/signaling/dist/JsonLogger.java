package dev.mvp.signaling.dist;

import java.io.PrintStream;
import java.time.Instant;
import org.slf4j.Marker;
import org.slf4j.event.Level;
import org.slf4j.helpers.LegacyAbstractLogger;
import org.slf4j.helpers.MessageFormatter;

/** A logger of {@link JsonLogProvider}: writes each event at or above its level as a {@link JsonLogLine}. */
final class JsonLogger extends LegacyAbstractLogger {
    private static final long serialVersionUID = 1L;
    /** Whole lines only: two threads never interleave within one. */
    private static final Object OUTPUT = new Object();

    private final int least;

    JsonLogger(String name, int least) {
        this.name = name;
        this.least = least;
    }

    private boolean enabled(Level level) {
        return level.toInt() >= least;
    }

    @Override
    public boolean isTraceEnabled() {
        return enabled(Level.TRACE);
    }

    @Override
    public boolean isDebugEnabled() {
        return enabled(Level.DEBUG);
    }

    @Override
    public boolean isInfoEnabled() {
        return enabled(Level.INFO);
    }

    @Override
    public boolean isWarnEnabled() {
        return enabled(Level.WARN);
    }

    @Override
    public boolean isErrorEnabled() {
        return enabled(Level.ERROR);
    }

    @Override
    protected String getFullyQualifiedCallerName() {
        return null;
    }

    @Override
    protected void handleNormalizedLoggingCall(Level level, Marker marker, String pattern, Object[] arguments,
                                               Throwable throwable) {
        String message = MessageFormatter.basicArrayFormat(pattern, arguments);
        String line = JsonLogLine.format(Instant.now(), level, name, Thread.currentThread().getName(), message, throwable);
        PrintStream out = System.err;
        synchronized (OUTPUT) {
            out.println(line);
            out.flush();
        }
    }
}
