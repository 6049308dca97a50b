package dev.mvp.signaling.cluster.redis;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.mvp.signaling.core.Envelope;
import java.util.HashSet;
import java.util.Set;

/**
 * The frames nodes exchange on their Redis channels, as small JSON objects with a kind {@code k}:
 * {@code msg} (a message for a peer of the receiving node), {@code ack}/{@code nack} (its outcome, to the
 * sending node), {@code ping} (a node checking its own subscription), {@code arrived} (a peer
 * registered, on the broadcast channel), and {@code take}/{@code given} (a client that came back on the
 * sending node asks for its id, and the answer: the contacts it inherits, or none when refused).
 */
final class Wire {
    static final String MSG = "msg";
    static final String ACK = "ack";
    static final String NACK = "nack";
    static final String PING = "ping";
    static final String ARRIVED = "arrived";
    static final String TAKE = "take";
    static final String GIVEN = "given";

    private Wire() {}

    static String message(long seq, String origin, Envelope e) {
        JsonObject o = new JsonObject();
        o.addProperty("k", MSG);
        o.addProperty("n", seq);
        o.addProperty("o", origin);
        o.addProperty("t", e.type());
        o.addProperty("f", e.from());
        o.addProperty("to", e.to());
        o.addProperty("fr", e.frame());
        if (e.mid() != null) {
            o.addProperty("m", e.mid());
        }
        return o.toString();
    }

    static String outcome(String kind, long seq) {
        JsonObject o = new JsonObject();
        o.addProperty("k", kind);
        o.addProperty("n", seq);
        return o.toString();
    }

    static String ping() {
        return "{\"k\":\"" + PING + "\"}";
    }

    static String arrived(String origin, String id) {
        JsonObject o = new JsonObject();
        o.addProperty("k", ARRIVED);
        o.addProperty("o", origin);
        o.addProperty("id", id);
        return o.toString();
    }

    static String take(long seq, String origin, String id, String token, boolean replaceConnected) {
        JsonObject o = new JsonObject();
        o.addProperty("k", TAKE);
        o.addProperty("n", seq);
        o.addProperty("o", origin);
        o.addProperty("id", id);
        o.addProperty("tok", token);
        o.addProperty("r", replaceConnected);
        return o.toString();
    }

    /** The answer to {@code take}: {@code contacts} null when the id was not given. */
    static String given(long seq, Set<String> contacts) {
        JsonObject o = new JsonObject();
        o.addProperty("k", GIVEN);
        o.addProperty("n", seq);
        if (contacts != null) {
            JsonArray c = new JsonArray();
            contacts.forEach(c::add);
            o.add("c", c);
        }
        return o.toString();
    }

    /** The contacts a {@code given} frame carries, or null when the id was not given. */
    static Set<String> contacts(JsonObject o) {
        if (!o.has("c") || !o.get("c").isJsonArray()) {
            return null;
        }
        Set<String> contacts = new HashSet<>();
        o.getAsJsonArray("c").forEach(e -> contacts.add(e.getAsString()));
        return contacts;
    }

    static JsonObject parse(String text) {
        return JsonParser.parseString(text).getAsJsonObject();
    }

    static Envelope envelope(JsonObject o) {
        return Envelope.of(str(o, "t"), str(o, "f"), str(o, "to"), str(o, "fr"), str(o, "m"));
    }

    static String str(JsonObject o, String field) {
        return o.has(field) && !o.get(field).isJsonNull() ? o.get(field).getAsString() : null;
    }
}
