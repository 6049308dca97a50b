package dev.mvp.signaling.junit5;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

/** Keeps secrets out of recordings: a top-level {@code token} member's value becomes {@code "<redacted>"}. */
final class Redaction {
    static final String REDACTED = "<redacted>";

    private Redaction() {}

    static String redact(String frame) {
        if (frame == null || !frame.contains("\"token\"")) {
            return frame;
        }
        try {
            JsonElement e = JsonParser.parseString(frame);
            if (e.isJsonObject() && e.getAsJsonObject().has("token")) {
                JsonObject copy = e.getAsJsonObject().deepCopy();
                copy.addProperty("token", REDACTED);
                return copy.toString();
            }
            return frame;
        } catch (RuntimeException notJson) {
            return REDACTED; // the hub routes valid JSON only; never keep what could not be checked
        }
    }
}
