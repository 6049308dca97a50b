package dev.mvp.signaling.dist;

import com.google.gson.JsonObject;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import org.slf4j.event.Level;

/**
 * One log event as one line of JSON: {@code time} (ISO-8601, UTC, milliseconds), {@code level},
 * {@code logger}, {@code thread}, {@code message}, and {@code exception} (the stack trace as one string)
 * when there is one. Line breaks inside values are escaped, so a line is always one event.
 */
final class JsonLogLine {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSX")
            .withZone(ZoneOffset.UTC);

    private JsonLogLine() {}

    static String format(Instant time, Level level, String logger, String thread, String message, Throwable exception) {
        JsonObject o = new JsonObject();
        o.addProperty("time", TIME.format(time));
        o.addProperty("level", level.toString());
        o.addProperty("logger", logger);
        o.addProperty("thread", thread);
        o.addProperty("message", message);
        if (exception != null) {
            StringWriter trace = new StringWriter();
            exception.printStackTrace(new PrintWriter(trace));
            o.addProperty("exception", trace.toString());
        }
        return o.toString();
    }
}
