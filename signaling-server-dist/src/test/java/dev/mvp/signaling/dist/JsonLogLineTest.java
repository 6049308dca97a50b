package dev.mvp.signaling.dist;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.time.Instant;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.slf4j.event.Level;

/** The JSON log line and the levels, as a log collector and an operator meet them. */
class JsonLogLineTest {

    @Test
    void aLineIsOneJsonObjectWithTimeInUtcLevelLoggerThreadMessageAndTheExceptionAsAString() {
        Exception failure = new IllegalStateException("broken \"on purpose\"\nsecond line");
        String line = JsonLogLine.format(Instant.parse("2026-01-02T03:04:05Z"), Level.WARN, "dev.mvp.Some",
                "worker-1", "it failed: {\"quoted\"}", failure);

        assertThat(line).doesNotContain("\n");
        JsonObject o = JsonParser.parseString(line).getAsJsonObject();
        assertThat(o.keySet()).containsExactly("time", "level", "logger", "thread", "message", "exception");
        assertThat(o.get("time").getAsString()).isEqualTo("2026-01-02T03:04:05.000Z");
        assertThat(o.get("level").getAsString()).isEqualTo("WARN");
        assertThat(o.get("logger").getAsString()).isEqualTo("dev.mvp.Some");
        assertThat(o.get("thread").getAsString()).isEqualTo("worker-1");
        assertThat(o.get("message").getAsString()).isEqualTo("it failed: {\"quoted\"}");
        assertThat(o.get("exception").getAsString())
                .startsWith("java.lang.IllegalStateException: broken \"on purpose\"\nsecond line")
                .contains("\tat dev.mvp.signaling.dist.JsonLogLineTest");
    }

    @Test
    void withoutAnExceptionThereIsNoExceptionField() {
        String line = JsonLogLine.format(Instant.parse("2026-01-02T03:04:05.678Z"), Level.INFO, "x", "main", "hello", null);
        JsonObject o = JsonParser.parseString(line).getAsJsonObject();
        assertThat(o.has("exception")).isFalse();
        assertThat(o.get("time").getAsString()).isEqualTo("2026-01-02T03:04:05.678Z");
    }

    @Test
    void levelsAreSlf4jSimplesPropertiesWithTheLongestPrefixWinning() {
        Properties p = new Properties();
        p.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        p.setProperty("org.slf4j.simpleLogger.log.org.java_websocket", "off");
        p.setProperty("org.slf4j.simpleLogger.log.dev.mvp.signaling.core", "debug");
        LogLevels levels = LogLevels.from(p);

        assertThat(levels.of("dev.mvp.signaling.server.SignalingServer")).isEqualTo(Level.WARN.toInt());
        assertThat(levels.of("dev.mvp.signaling.core.SignalingHub")).isEqualTo(Level.DEBUG.toInt());
        assertThat(levels.of("org.java_websocket.WebSocketImpl")).isEqualTo(LogLevels.OFF);
        assertThat(new JsonLogger("org.java_websocket.WebSocketImpl", levels.of("org.java_websocket.WebSocketImpl"))
                .isErrorEnabled()).isFalse();
        assertThat(new JsonLogger("a", Level.INFO.toInt()).isDebugEnabled()).isFalse();
        assertThat(new JsonLogger("a", Level.INFO.toInt()).isInfoEnabled()).isTrue();
    }
}
