package dev.mvp.signaling.server.http;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** The WebSocket endpoint's path, {@code /ws/{client_id}}. */
final class WsPaths {
    static final String PREFIX = HttpService.WEBSOCKET_PREFIX;

    private WsPaths() {}

    /** Whether the path is under the WebSocket endpoint at all. */
    static boolean isWsPath(String path) {
        return path.startsWith(PREFIX);
    }

    /**
     * The percent-decoded client id of a path {@code /ws/{id}}, or {@code null} if the path has another
     * shape (more segments, bad escapes). The id's validity is for {@code PeerIds} to judge.
     */
    static String clientId(String path) {
        if (!isWsPath(path)) {
            return null;
        }
        String raw = path.substring(PREFIX.length());
        if (raw.indexOf('/') >= 0) {
            return null;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(raw.length());
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c == '%') {
                if (i + 2 >= raw.length()) {
                    return null;
                }
                int hi = Character.digit(raw.charAt(i + 1), 16);
                int lo = Character.digit(raw.charAt(i + 2), 16);
                if (hi < 0 || lo < 0) {
                    return null;
                }
                out.write(hi * 16 + lo);
                i += 2;
            } else {
                out.write(c);
            }
        }
        return out.toString(StandardCharsets.UTF_8);
    }
}
