package dev.mvp.signaling.client;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** The frames two headless Chromium pages sent while opening a data channel (see the fixture's README). */
final class ChromiumSession {
    private ChromiumSession() {}

    static List<String> frames() {
        return lines("/fixtures/chromium-datachannel-session.jsonl");
    }

    /**
     * The same frames as a browser app sends them when it writes {@code sdp: pc.localDescription}: each
     * {@code sdp} is the session description object {@code {"type":"offer","sdp":"v=0..."}}.
     */
    static List<String> objectSdpFrames() {
        return lines("/fixtures/chromium-datachannel-session.object-sdp.jsonl");
    }

    private static List<String> lines(String resource) {
        try (InputStream in = ChromiumSession.class.getResourceAsStream(resource)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().filter(l -> !l.isBlank()).toList();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The n-th (0-based) recorded frame of {@code type}, parsed. */
    static JsonObject frame(String type, int n) {
        return frames().stream().map(f -> JsonParser.parseString(f).getAsJsonObject())
                .filter(o -> o.get("type").getAsString().equals(type)).skip(n).findFirst().orElseThrow();
    }

    static String offerSdp() {
        return frame("offer", 0).get("sdp").getAsString();
    }

    static String answerSdp() {
        return frame("answer", 0).get("sdp").getAsString();
    }

    /** Alice's candidate as the browser wrote it. */
    static IceCandidate aliceCandidate() {
        JsonObject c = frame("candidate", 0).getAsJsonObject("candidate");
        return new IceCandidate(c.get("candidate").getAsString(), c.get("sdpMid").getAsString(),
                c.get("sdpMLineIndex").getAsInt(), c.get("usernameFragment").getAsString());
    }
}
