package dev.mvp.signaling.core;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.mvp.signaling.core.memory.InMemoryClient;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Random and mutated frames, random drops, reconnects and clock jumps, from a fixed seed: nothing
 * throws out of the hub, nothing reaches the wrong peer or arrives altered, nothing stays behind, every
 * frame a client receives is strict JSON, and the hub's verdict on each frame's syntax is that of an
 * independent checker ({@link StrictJson}). Run longer with {@code -Dfuzz.iterations=1000000 -Dfuzz.seed=...}.
 */
class HubFuzzTest {
    private static final int ITERATIONS = Integer.getInteger("fuzz.iterations", 30_000);
    private static final long SEED = Long.getLong("fuzz.seed", 20261126L);
    private static final String[] IDS = {"alice", "bob", "carol", "dave", "eve"};
    private static final String[] TYPES = {"offer", "answer", "candidate", "bye", "offer", "answer", "candidate",
        "bye", "candidate", "candidate", "register", "ping", "renegotiate", "error", "registered", "", "OFFER"};
    private static final String NOISE = "{}[]\",:\\ \u0000\uD800x";
    /** Pieces that are valid or invalid JSON only by a detail a lenient parser overlooks. */
    private static final String[] PIECES = {"\uFEFF", "\u0001", "\t", "\n", "\u001f", "\uDC00", "\uD83D\uDE00",
        "\\ud800", "\\udc00", "\\u00", "\\u00e9", "\\x", "NaN", "-Infinity", "01", "1.", ".5", "1e5", "-0", "+1",
        "1".repeat(1100), "'a'", "/*c*/", "//", "#", "true", "nul", ",", ",]", "[", "]", "{\"k\":", "\u00a0", "\u2028"};
    private static final Set<String> SERVER_TYPES = Set.of("registered", "error", "pong");

    private final List<String> recorded = TestFrames.chromiumSession();
    private final ManualScheduler time = new ManualScheduler();
    /** Every frame text each id sent: anything relayed must be one of them (with from stamped). */
    private final Map<String, Set<String>> sentBy = new java.util.HashMap<>();
    private int syntaxChecked;
    private int syntaxAccepted;

    @Test
    void randomTrafficNeverEscapesMisroutesOrLeaks() {
        Random random = new Random(SEED);
        HubConfig config = HubConfig.builder().scheduler(time)
                .authenticator(Authenticator.staticTokens(Map.of("alice", "ta", "bob", "tb", "carol", "tc",
                        "dave", "td", "eve", "te")))
                .addRoutableType("renegotiate")
                .rateLimit(new RateLimit(1000, 50))
                .offlineQueue(new OfflineQueuePolicy(Duration.ofSeconds(5), 8, 8, 40))
                .build();
        int relayed = 0;
        int errors = 0;
        try (SignalingHub hub = new SignalingHub(config)) {
            InMemoryClient[] clients = new InMemoryClient[IDS.length];
            for (int i = 0; i < ITERATIONS; i++) {
                int who = random.nextInt(IDS.length);
                String id = IDS[who];
                InMemoryClient c = clients[who];
                int action = random.nextInt(100);
                if (c == null || !c.isOpen()) {
                    clients[who] = c = InMemoryClient.connect(hub, random.nextInt(20) == 0 ? "x" + id : id);
                    if (random.nextBoolean()) {
                        c.send("{\"type\":\"register\",\"id\":\"" + id + "\",\"token\":\"t" + id.charAt(0) + "\"}");
                    }
                } else if (action < 3) {
                    c.drop();
                } else if (action < 5) {
                    c.close();
                } else if (action < 8) {
                    time.advance(Duration.ofMillis(random.nextInt(12_000)));
                } else if (action < 10) {
                    c.sendBinary(random.nextInt(100));
                } else {
                    String frame = frame(random, id);
                    sentBy.computeIfAbsent(c.id(), k -> new HashSet<>()).add(frame);
                    checkSyntaxVerdict(frame);
                    c.send(frame); // must never throw
                }
                for (int r = 0; r < clients.length; r++) {
                    if (clients[r] == null) {
                        continue;
                    }
                    for (String received : clients[r].drain()) {
                        if (checkReceived(clients[r].id(), received)) {
                            relayed++;
                        } else {
                            errors++;
                        }
                    }
                }
            }
            for (InMemoryClient c : clients) {
                if (c != null) {
                    c.close();
                }
            }
            time.advance(Duration.ofMinutes(1));
            HubStats stats = hub.stats();
            assertThat(stats.connections()).isZero();
            assertThat(stats.registeredPeers()).isZero();
            assertThat(stats.heldMessages()).isZero();
            assertThat(stats.suspendedPeers()).isZero();
            assertThat(time.pending()).as("no timer left behind").isZero();
            assertThat(relayed).as("the fuzzer must also exercise the relay").isGreaterThan(ITERATIONS / 50);
            assertThat(syntaxChecked - syntaxAccepted).as("and send invalid JSON").isGreaterThan(ITERATIONS / 20);
            assertThat(stats.errors(ErrorCodes.TOO_DEEP)).as("and frames nested too deep").isPositive();
            System.out.printf("HubFuzzTest: %d iterations (seed %d): %d frames relayed, %d server frames, "
                    + "%d messages routed; %d frames checked against a strict parser, %d of them valid%n",
                    ITERATIONS, SEED, relayed, errors, stats.messagesRouted(), syntaxChecked, syntaxAccepted);
        }
    }

    /**
     * The hub refuses a frame's syntax exactly when the independent checker does: {@code invalid-json}
     * for what is not a JSON object, {@code too-deep} for valid JSON nested over the limit.
     */
    private void checkSyntaxVerdict(String frame) {
        int depth = StrictJson.depth(frame);
        boolean object = StrictJson.isObject(frame);
        String code = InboundMessage.parse(frame).problemCode;
        if (!object) {
            // Reading stops at the first of the two: a frame over the depth limit may be broken further on.
            assertThat(code).as("not a strict JSON object, so refused: %s", frame)
                    .isIn(ErrorCodes.INVALID_JSON, ErrorCodes.TOO_DEEP);
        } else if (depth > InboundMessage.MAX_DEPTH) {
            assertThat(code).as("nested %d deep: %s", depth, frame).isEqualTo(ErrorCodes.TOO_DEEP);
        } else {
            assertThat(code).as("valid JSON within the limits is read: %s", frame)
                    .isNotIn(ErrorCodes.INVALID_JSON, ErrorCodes.TOO_DEEP);
            syntaxAccepted++;
        }
        syntaxChecked++;
    }

    /** Checks a frame a client received; returns true if it was a relayed peer message. */
    private boolean checkReceived(String recipient, String frame) {
        assertThat(StrictJson.isObject(frame)).as("strict JSON reaches %s: %s", recipient, frame).isTrue();
        JsonObject m = JsonParser.parseString(frame).getAsJsonObject();
        String type = m.get("type").getAsString();
        if (SERVER_TYPES.contains(type)) {
            return false;
        }
        String from = m.get("from").getAsString();
        assertThat(m.get("to").getAsString()).as("delivered to the peer it names: " + frame).isEqualTo(recipient);
        if (type.equals("bye") && m.has("reason") && m.get("reason").getAsString().equals("disconnected")
                && m.size() == 4) {
            return true; // the hub's own bye for a peer that left
        }
        Set<String> sent = sentBy.getOrDefault(from, Set.of());
        boolean verbatim = sent.contains(frame);
        boolean stamped = frame.startsWith("{\"from\":\"" + from + "\",")
                && sent.contains("{" + frame.substring(("{\"from\":\"" + from + "\",").length()));
        assertThat(verbatim || stamped).as("relayed exactly as " + from + " sent it: " + frame).isTrue();
        return true;
    }

    private String frame(Random random, String self) {
        int kind = random.nextInt(10);
        if (kind < 3) {
            return mutate(random, recorded.get(random.nextInt(recorded.size())));
        }
        if (kind < 4) {
            return randomText(random);
        }
        JsonObject o = new JsonObject();
        String type = TYPES[random.nextInt(TYPES.length)];
        if (random.nextInt(20) != 0) {
            o.addProperty("type", type);
        }
        if (random.nextInt(4) != 0) {
            o.addProperty("to", random.nextInt(10) == 0 ? "nobody" : IDS[random.nextInt(IDS.length)]);
        }
        switch (random.nextInt(8)) {
            case 0, 1 -> o.addProperty("from", self);
            case 2 -> o.addProperty("from", IDS[random.nextInt(IDS.length)]);
            case 3 -> o.add("from", randomValue(random, 1));
            default -> { }
        }
        if (type.equals("register")) {
            o.addProperty("id", random.nextInt(5) == 0 ? IDS[random.nextInt(IDS.length)] : self);
            if (random.nextBoolean()) {
                o.addProperty("token", "t" + self.charAt(0));
            }
        }
        if (random.nextInt(4) != 0) {
            o.add("sdp", random.nextInt(4) != 0 ? new com.google.gson.JsonPrimitive("v=0\r\n") : randomValue(random, 2));
        }
        if (random.nextInt(4) != 0) {
            o.add("candidate", random.nextInt(4) != 0
                    ? JsonParser.parseString(recorded.get(3)).getAsJsonObject().get("candidate")
                    : randomValue(random, 2));
        }
        if (random.nextBoolean()) {
            o.add("mid", randomValue(random, 1));
        }
        if (random.nextInt(4) == 0) {
            o.add("app", randomValue(random, 3));
        }
        return o.toString();
    }

    private static String mutate(Random random, String frame) {
        StringBuilder sb = new StringBuilder(frame);
        int edits = 1 + random.nextInt(4);
        for (int e = 0; e < edits && sb.length() > 0; e++) {
            int at = random.nextInt(sb.length());
            switch (random.nextInt(7)) {
                case 0 -> sb.setCharAt(at, (char) random.nextInt(128));
                case 1 -> sb.deleteCharAt(at);
                case 2 -> sb.insert(at, NOISE.charAt(random.nextInt(NOISE.length())));
                case 3 -> sb.setLength(at);
                case 4 -> sb.insert(random.nextInt(8) == 0 ? 0 : at, PIECES[random.nextInt(PIECES.length)]);
                case 5 -> {
                    // a value nested around the limit, in place of the first member's value
                    int colon = sb.indexOf(":");
                    int n = InboundMessage.MAX_DEPTH - 3 + random.nextInt(5);
                    sb.insert(colon + 1, "[".repeat(n) + "{\"k\":[]}" + "]".repeat(n) + ",\"k\":");
                }
                default -> {
                    // a member inserted right after the opening brace, valid JSON or not
                    int brace = sb.indexOf("{");
                    sb.insert(brace + 1, "\"p\":" + PIECES[random.nextInt(PIECES.length)] + ",");
                }
            }
        }
        return sb.toString();
    }

    private static String randomText(Random random) {
        StringBuilder sb = new StringBuilder();
        int n = random.nextInt(40);
        for (int i = 0; i < n; i++) {
            sb.append((char) random.nextInt(0x3000));
        }
        return sb.toString();
    }

    private static JsonElement randomValue(Random random, int depth) {
        return switch (random.nextInt(depth > 0 ? 7 : 5)) {
            case 0 -> com.google.gson.JsonNull.INSTANCE;
            case 1 -> new com.google.gson.JsonPrimitive(random.nextInt(1000) - 500);
            case 2 -> new com.google.gson.JsonPrimitive(random.nextBoolean());
            case 3 -> new com.google.gson.JsonPrimitive(randomText(random));
            case 4 -> new com.google.gson.JsonPrimitive(random.nextDouble());
            case 5 -> {
                com.google.gson.JsonArray a = new com.google.gson.JsonArray();
                for (int i = random.nextInt(3); i > 0; i--) {
                    a.add(randomValue(random, depth - 1));
                }
                yield a;
            }
            default -> {
                JsonObject o = new JsonObject();
                for (int i = random.nextInt(3); i > 0; i--) {
                    o.add("k" + i, randomValue(random, depth - 1));
                }
                yield o;
            }
        };
    }

}
