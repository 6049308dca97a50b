package dev.mvp.signaling.cluster.redis;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.mvp.signaling.core.Envelope;
import dev.mvp.signaling.core.Peer;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The frames nodes exchange on their Redis channels, as small JSON objects with a kind {@code k}. On a
 * node's own channel: {@code msgs} (messages for its peers, in the order sent; {@code msg}, a single one,
 * from older nodes), {@code ack}/{@code acks}/{@code nack} (their outcomes, back to the sending node),
 * {@code ping} (a node checking its own subscription), {@code take}/{@code given} (a client that came
 * back on the sending node asks for its id; the answer carries the contacts and the rooms it inherits,
 * or neither when refused). On the broadcast channel: {@code arrived} (a peer registered) and {@code drained} (a node
 * left the directory).
 */
final class Wire {
    static final String MSG = "msg";
    static final String MSGS = "msgs";
    static final String ACK = "ack";
    static final String ACKS = "acks";
    static final String NACK = "nack";
    static final String PING = "ping";
    static final String ARRIVED = "arrived";
    static final String DRAINED = "drained";
    static final String TAKE = "take";
    static final String GIVEN = "given";

    private Wire() {}

    /** A message to publish, and its sequence number. */
    record Outgoing(long seq, Envelope envelope) {}

    /** Messages for peers of one node, in the order they were sent. */
    static String messages(String origin, List<Outgoing> batch) {
        JsonObject o = new JsonObject();
        o.addProperty("k", MSGS);
        o.addProperty("o", origin);
        JsonArray ms = new JsonArray(batch.size());
        for (Outgoing m : batch) {
            Envelope e = m.envelope();
            JsonObject item = new JsonObject();
            item.addProperty("n", m.seq());
            item.addProperty("t", e.type());
            item.addProperty("f", e.from());
            item.addProperty("to", e.to());
            item.addProperty("fr", e.frame());
            if (e.mid() != null) {
                item.addProperty("m", e.mid());
            }
            ms.add(item);
        }
        o.add("ms", ms);
        return o.toString();
    }

    static String outcome(String kind, long seq) {
        JsonObject o = new JsonObject();
        o.addProperty("k", kind);
        o.addProperty("n", seq);
        return o.toString();
    }

    static String acks(List<Long> seqs) {
        JsonObject o = new JsonObject();
        o.addProperty("k", ACKS);
        JsonArray ns = new JsonArray(seqs.size());
        seqs.forEach(ns::add);
        o.add("ns", ns);
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

    static String drained(String origin) {
        JsonObject o = new JsonObject();
        o.addProperty("k", DRAINED);
        o.addProperty("o", origin);
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

    /** The answer to {@code take}: {@code given} null when the id was not given. */
    static String given(long seq, Peer.HandOver given) {
        JsonObject o = new JsonObject();
        o.addProperty("k", GIVEN);
        o.addProperty("n", seq);
        if (given != null) {
            o.add("c", array(given.contacts()));
            o.add("rm", array(given.rooms()));
        }
        return o.toString();
    }

    /** What a {@code given} frame carries, or null when the id was not given; no rooms from a node without them. */
    static Peer.HandOver handOver(JsonObject o) {
        Set<String> contacts = strings(o, "c");
        if (contacts == null) {
            return null;
        }
        Set<String> rooms = strings(o, "rm");
        return new Peer.HandOver(contacts, rooms == null ? Set.of() : rooms);
    }

    private static JsonArray array(Set<String> values) {
        JsonArray a = new JsonArray(values.size());
        values.forEach(a::add);
        return a;
    }

    private static Set<String> strings(JsonObject o, String field) {
        if (!o.has(field) || !o.get(field).isJsonArray()) {
            return null;
        }
        Set<String> values = new HashSet<>();
        o.getAsJsonArray(field).forEach(e -> values.add(e.getAsString()));
        return values;
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
