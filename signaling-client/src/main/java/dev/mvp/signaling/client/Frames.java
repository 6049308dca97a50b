package dev.mvp.signaling.client;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;

/** Writes the frames a client sends. Fields come in the order the protocol document shows them. */
final class Frames {
    private static final Gson GSON = new GsonBuilder().serializeNulls().disableHtmlEscaping().create();

    private Frames() {}

    static String register(String id, String token) {
        JsonObject o = typed("register");
        o.addProperty("id", id);
        if (token != null) {
            o.addProperty("token", token);
        }
        return GSON.toJson(o);
    }

    static String withSdp(String type, String to, String sdp) {
        JsonObject o = addressed(type, to);
        o.addProperty("sdp", sdp);
        return GSON.toJson(o);
    }

    static String candidate(String to, IceCandidate c) {
        JsonObject o = addressed("candidate", to);
        if (c == null) {
            o.add("candidate", JsonNull.INSTANCE);
        } else {
            JsonObject body = new JsonObject();
            body.addProperty("candidate", c.candidate());
            body.addProperty("sdpMid", c.sdpMid());
            body.addProperty("sdpMLineIndex", c.sdpMLineIndex());
            body.addProperty("usernameFragment", c.usernameFragment());
            o.add("candidate", body);
        }
        return GSON.toJson(o);
    }

    static String bye(String to, String reason) {
        JsonObject o = addressed("bye", to);
        if (reason != null) {
            o.addProperty("reason", reason);
        }
        return GSON.toJson(o);
    }

    static String ping(long mid) {
        JsonObject o = typed("ping");
        o.addProperty("mid", mid);
        return GSON.toJson(o);
    }

    private static JsonObject typed(String type) {
        JsonObject o = new JsonObject();
        o.addProperty("type", type);
        return o;
    }

    private static JsonObject addressed(String type, String to) {
        JsonObject o = typed(type);
        o.addProperty("to", to);
        return o;
    }
}
