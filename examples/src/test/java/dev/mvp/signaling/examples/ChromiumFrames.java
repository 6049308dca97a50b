package dev.mvp.signaling.examples;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** The SDPs and candidates two headless Chromium pages sent while opening a data channel. */
public final class ChromiumFrames {
    private ChromiumFrames() {}

    public static List<JsonObject> frames() {
        try (InputStream in = ChromiumFrames.class.getResourceAsStream("/fixtures/chromium-datachannel-session.jsonl")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().filter(l -> !l.isBlank())
                    .map(l -> JsonParser.parseString(l).getAsJsonObject()).toList();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The same session's frames as text, as a browser app sends them when it writes
     * {@code sdp: pc.localDescription}: each {@code sdp} is the object {@code {"type":"offer","sdp":"v=0..."}}.
     */
    public static List<String> objectSdpLines() {
        try (InputStream in = ChromiumFrames.class.getResourceAsStream(
                "/fixtures/chromium-datachannel-session.object-sdp.jsonl")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().filter(l -> !l.isBlank()).toList();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static JsonObject first(String type) {
        return frames().stream().filter(o -> o.get("type").getAsString().equals(type)).findFirst().orElseThrow();
    }

    public static String offerSdp() {
        return first("offer").get("sdp").getAsString();
    }

    public static String answerSdp() {
        return first("answer").get("sdp").getAsString();
    }
}
