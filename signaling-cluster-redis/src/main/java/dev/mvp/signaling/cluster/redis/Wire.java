package dev.mvp.signaling.cluster.redis;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.mvp.signaling.core.Envelope;
import dev.mvp.signaling.core.Peer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The frames nodes exchange on their Redis channels: batches of messages for a node's peers in a compact
 * form of their own ({@link #messages}), and everything else as small JSON objects with a kind {@code k}.
 * On a node's own channel: {@code msgs} (messages as JSON, from older nodes; {@code msg}, a single one,
 * from older still), {@code ack}/{@code acks}/{@code nack} (their outcomes, back to the sending node),
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

    /** The first character of a batch of messages in the compact form of {@link #messages}. */
    static final char BATCH = 'M';

    /**
     * Messages for peers of one node, in the order they were sent, in a compact form rather than JSON, so
     * each frame travels as it is: as a JSON string it was escaped on one node and unescaped on the other,
     * the largest part of the cluster's CPU per message. {@code M}, the origin, the number of messages and
     * {@code ;}, then per message its sequence number and {@code ;}, its type, sender, recipient, {@code mid}
     * ({@code -} when none) and frame; each text part as its length in chars, {@code :} and the chars.
     */
    static String messages(String origin, List<Outgoing> batch) {
        int size = 16 + origin.length();
        for (Outgoing m : batch) {
            size += 64 + m.envelope().frame().length();
        }
        StringBuilder sb = new StringBuilder(size).append(BATCH);
        part(sb, origin);
        sb.append(batch.size()).append(';');
        for (Outgoing m : batch) {
            Envelope e = m.envelope();
            sb.append(m.seq()).append(';');
            part(sb, e.type());
            part(sb, e.from());
            part(sb, e.to());
            if (e.mid() == null) {
                sb.append('-');
            } else {
                part(sb, e.mid());
            }
            part(sb, e.frame());
        }
        return sb.toString();
    }

    private static void part(StringBuilder sb, String text) {
        sb.append(text.length()).append(':').append(text);
    }

    /** A message of a batch, as read. */
    record Incoming(long seq, Envelope envelope) {}

    /** A batch of messages from {@code origin}, as read. */
    record Batch(String origin, List<Incoming> messages) {}

    /** {@return whether {@code text} is a batch in the compact form (every other frame is a JSON object)} */
    static boolean isBatch(String text) {
        return !text.isEmpty() && text.charAt(0) == BATCH;
    }

    /**
     * Reads a batch that {@link #messages} wrote; all of it or nothing.
     *
     * @throws IllegalArgumentException if {@code text} is not such a batch
     */
    static Batch batch(String text) {
        Reader r = new Reader(text);
        r.expect(BATCH);
        String origin = r.part();
        long count = r.number(';');
        List<Incoming> messages = new ArrayList<>();
        while (!r.atEnd()) {
            long seq = r.number(';');
            String type = r.part();
            String from = r.part();
            String to = r.part();
            String mid = r.peek() == '-' ? r.skipAbsent() : r.part();
            messages.add(new Incoming(seq, Envelope.of(type, from, to, r.part(), mid)));
        }
        if (messages.size() != count) { // cut between two messages
            throw new IllegalArgumentException("a batch of " + count + " messages holds " + messages.size());
        }
        return new Batch(origin, messages);
    }

    /** A cursor over a batch. */
    private static final class Reader {
        private final String text;
        private int at;

        Reader(String text) {
            this.text = text;
        }

        boolean atEnd() {
            return at >= text.length();
        }

        char peek() {
            if (atEnd()) {
                throw new IllegalArgumentException("a batch ends in the middle of a message");
            }
            return text.charAt(at);
        }

        void expect(char c) {
            if (peek() != c) {
                throw new IllegalArgumentException("expected '" + c + "' at " + at + " of a batch");
            }
            at++;
        }

        String skipAbsent() {
            at++;
            return null;
        }

        /** A decimal number that fits a {@code long}, then {@code end}. */
        long number(char end) {
            long n = 0;
            int start = at;
            while (peek() != end) {
                char c = text.charAt(at++);
                if (c < '0' || c > '9') {
                    throw new IllegalArgumentException("a malformed number at " + start + " of a batch");
                }
                try {
                    n = Math.addExact(Math.multiplyExact(n, 10), c - '0');
                } catch (ArithmeticException e) {
                    throw new IllegalArgumentException("a number too large at " + start + " of a batch");
                }
            }
            if (at == start) {
                throw new IllegalArgumentException("a missing number at " + start + " of a batch");
            }
            at++;
            return n;
        }

        String part() {
            long length = number(':');
            if (length > text.length() - at) {
                throw new IllegalArgumentException("a part longer than the rest of the batch at " + at);
            }
            String part = text.substring(at, at + (int) length);
            at += (int) length;
            return part;
        }
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
