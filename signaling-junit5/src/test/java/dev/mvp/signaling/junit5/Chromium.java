package dev.mvp.signaling.junit5;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** The frames two headless Chromium pages sent while opening a data channel (see the fixture's README). */
final class Chromium {
    private Chromium() {}

    static List<String> frames() {
        try (InputStream in = Chromium.class.getResourceAsStream("/fixtures/chromium-datachannel-session.jsonl")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().filter(l -> !l.isBlank()).toList();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The n-th (0-based) recorded frame of {@code type}, as recorded. */
    static String frame(String type, int n) {
        return frames().stream()
                .filter(f -> JsonParser.parseString(f).getAsJsonObject().get("type").getAsString().equals(type))
                .skip(n).findFirst().orElseThrow();
    }

    static String sdp(String type) {
        JsonObject o = JsonParser.parseString(frame(type, 0)).getAsJsonObject();
        return o.get("sdp").getAsString();
    }
}
