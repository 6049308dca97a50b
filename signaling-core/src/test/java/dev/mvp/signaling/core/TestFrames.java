package dev.mvp.signaling.core;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** Helpers for tests: parsing frames and reading the recorded Chromium session. */
final class TestFrames {
    private TestFrames() {}

    static JsonObject json(String frame) {
        return JsonParser.parseString(frame).getAsJsonObject();
    }

    static String type(String frame) {
        return json(frame).get("type").getAsString();
    }

    /**
     * The frames two headless Chromium pages sent to a seed-protocol server while opening a data
     * channel: register bob, register alice, offer, candidate, answer, candidate, bye.
     */
    static List<String> chromiumSession() {
        return lines("/fixtures/chromium-datachannel-session.jsonl");
    }

    /**
     * The same session as a browser app sends it when it writes {@code sdp: pc.localDescription}: each
     * {@code sdp} is the session description object {@code {"type":"offer","sdp":"v=0..."}}.
     */
    static List<String> chromiumSessionObjectSdp() {
        return lines("/fixtures/chromium-datachannel-session.object-sdp.jsonl");
    }

    private static List<String> lines(String resource) {
        try (InputStream in = TestFrames.class.getResourceAsStream(resource)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().filter(l -> !l.isBlank()).toList();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The recorded frame of the given type, the n-th of that type (0-based). */
    static String recorded(String type, int n) {
        return chromiumSession().stream().filter(f -> type(f).equals(type)).skip(n).findFirst().orElseThrow();
    }
}
