package dev.mvp.signaling.bench;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The memory soak's hostile clients, in a process of their own at a lower priority ({@link SoakChild}):
 * {@code perKind} clients of each kind (eight times as many of the cheap {@code partial} ones), each
 * reconnecting when the server cuts it off so the pressure lasts the whole round. {@link #run} starts the
 * process and reads back, per kind, how the server ended the connections; {@link #main} is the process.
 */
final class SoakHostile {
    /** The kinds of hostile client, each a way to make a server hold memory. */
    static final List<String> KINDS = List.of("pings", "fragments", "partial", "held", "slow", "binary", "pongs");

    private final Map<String, Tally> tallies = new ConcurrentHashMap<>();
    /** Every connection still open, so the end of the round can unblock a write the server stopped reading. */
    private final Set<SoakConn> open = ConcurrentHashMap.newKeySet();
    private final long deadline;

    /** What happened to one kind's connections; rounds add up. */
    static final class Tally {
        final AtomicLong connects = new AtomicLong();
        final AtomicLong bytesSent = new AtomicLong();
        final Map<String, AtomicLong> endings = new ConcurrentHashMap<>();
        volatile String firstFailure = "";

        void ended(String how) {
            ended(how, 1);
        }

        void ended(String how, long count) {
            endings.computeIfAbsent(how, k -> new AtomicLong()).addAndGet(count);
        }

        Map<String, Long> endingsSorted() {
            Map<String, Long> m = new TreeMap<>();
            endings.forEach((k, v) -> m.put(k, v.get()));
            return m;
        }

        JsonObject toJson() {
            JsonObject o = new JsonObject();
            o.addProperty("connects", connects.get());
            o.addProperty("bytes_sent", bytesSent.get());
            JsonObject e = new JsonObject();
            endingsSorted().forEach(e::addProperty);
            o.add("endings", e);
            o.addProperty("first_failure", firstFailure);
            return o;
        }

        /** Adds one round's figures, as {@link #toJson} wrote them. */
        void add(JsonObject o) {
            connects.addAndGet(o.get("connects").getAsLong());
            bytesSent.addAndGet(o.get("bytes_sent").getAsLong());
            o.getAsJsonObject("endings").entrySet().forEach(e -> ended(e.getKey(), e.getValue().getAsLong()));
            if (firstFailure.isEmpty()) {
                firstFailure = o.get("first_failure").getAsString();
            }
        }
    }

    private SoakHostile(long deadline) {
        this.deadline = deadline;
    }

    /** How many hostile clients of {@code kind} run: eight times as many of the cheap {@code partial} ones. */
    static int clients(String kind, int perKind) {
        return kind.equals("partial") ? 8 * perKind : perKind;
    }

    /**
     * Runs the hostile clients of {@code kinds} against {@code address} for {@code durationS} seconds and adds
     * what happened to their connections to {@code tallies}.
     */
    static void run(InetSocketAddress address, List<String> kinds, int perKind, double durationS, Map<String, Tally> tallies)
            throws IOException, InterruptedException {
        String json = SoakChild.run(SoakHostile.class, true, (long) durationS + 60, List.of(address.getHostString(),
                Integer.toString(address.getPort()), Integer.toString(perKind), Double.toString(durationS),
                String.join(",", kinds)));
        JsonObject o = JsonParser.parseString(json).getAsJsonObject();
        for (String kind : kinds) {
            tallies.computeIfAbsent(kind, k -> new Tally()).add(o.getAsJsonObject(kind));
        }
    }

    /** {@code host port perKind durationS kind,kind,...}: runs the clients, then prints the result line. */
    public static void main(String[] args) throws InterruptedException {
        SoakChild.endWithParent();
        InetSocketAddress address = new InetSocketAddress(args[0], Integer.parseInt(args[1]));
        int perKind = Integer.parseInt(args[2]);
        List<String> kinds = Arrays.asList(args[4].split(","));
        SoakHostile soak = new SoakHostile(System.nanoTime() + (long) (Double.parseDouble(args[3]) * 1e9));
        List<Thread> threads = new ArrayList<>();
        for (String kind : kinds) {
            for (int i = 0; i < clients(kind, perKind); i++) {
                threads.add(start("soak-" + kind + "-" + i, soak.hostileLoop(address, kind, i)));
            }
        }
        while (soak.running()) {
            Thread.sleep(Math.max(1, Math.min(1000, (soak.deadline - System.nanoTime()) / 1_000_000)));
        }
        for (SoakConn c : soak.open) {
            try {
                c.close(); // unblocks a writer whose socket the server stopped reading
            } catch (IOException ignored) {
                // closing anyway
            }
        }
        for (Thread t : threads) {
            t.join(10_000);
        }
        JsonObject o = new JsonObject();
        for (String kind : kinds) {
            o.add(kind, soak.tallies.computeIfAbsent(kind, k -> new Tally()).toJson());
        }
        SoakChild.finish(o.toString());
    }

    private static Thread start(String name, Runnable r) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        t.start();
        return t;
    }

    private boolean running() {
        return System.nanoTime() < deadline;
    }

    // --- hostile clients ---------------------------------------------------------------------------

    private Runnable hostileLoop(InetSocketAddress address, String kind, int index) {
        Tally tally = tallies.computeIfAbsent(kind, k -> new Tally());
        return () -> {
            while (running()) {
                String id = kind + "-" + index;
                try (SoakConn c = SoakConn.open(address, id, 4096, deadline)) {
                    open.add(c);
                    tally.connects.incrementAndGet();
                    tally.ended(running() ? abuse(kind, c, id, tally) : "still-open-at-end");
                    open.remove(c);
                } catch (IOException | RuntimeException e) {
                    tally.ended("connect-failed");
                    if (tally.firstFailure.isEmpty()) {
                        tally.firstFailure = e.toString();
                    }
                }
                pause(50);
            }
        };
    }

    /** Abuses one connection until the server ends it or time is up; says how it ended. */
    private String abuse(String kind, SoakConn c, String id, Tally tally) throws IOException {
        byte[] chunk = new byte[64 * 1024];
        Arrays.fill(chunk, (byte) 'a');
        try {
            switch (kind) {
                case "pings" -> { // never reads the pongs
                    byte[] ping = new byte[125];
                    for (long k = 0; running(); k++) {
                        tally.bytesSent.addAndGet(c.sendFrame(0x89, ping));
                        pace(k, 10, 1);
                    }
                }
                case "fragments" -> { // a text message that never ends
                    tally.bytesSent.addAndGet(c.sendFrame(0x01, chunk));
                    while (running()) {
                        pause(FRAGMENT_PAUSE_MS);
                        tally.bytesSent.addAndGet(c.sendFrame(0x00, chunk));
                    }
                }
                case "partial" -> { // all but the last byte of a 1 MiB frame, then silence
                    tally.bytesSent.addAndGet(c.sendHeader(0x81, 1024 * 1024));
                    for (int sent = 0; sent < 1024 * 1024 - 1 && running(); sent += chunk.length) {
                        int n = Math.min(chunk.length, 1024 * 1024 - 1 - sent);
                        c.out.write(chunk, 0, n);
                        tally.bytesSent.addAndGet(n);
                    }
                    c.out.flush();
                    return c.waitForEnd();
                }
                case "held" -> { // offers of 65,000 characters to ids nobody holds; reads its bounces
                    c.register(id);
                    c.discardInBackground();
                    String sdp = "v=0\\r\\n" + "a".repeat(65_000 - 100);
                    for (long k = 0; running(); k++) {
                        tally.bytesSent.addAndGet(c.sendText("{\"type\":\"offer\",\"to\":\"absent-" + id + "-" + (k % 1000)
                                + "\",\"sdp\":\"" + sdp + "\"}"));
                        pause(FRAGMENT_PAUSE_MS);
                    }
                }
                case "slow" -> { // asks for answers and never reads them
                    c.register(id);
                    for (long k = 0; running(); k++) {
                        tally.bytesSent.addAndGet(c.sendText("{\"type\":\"ping\"}"));
                        pace(k, 10, 1);
                    }
                }
                case "binary" -> { // binary frames; reads the errors
                    c.discardInBackground();
                    byte[] small = new byte[1024];
                    for (long k = 0; running(); k++) {
                        tally.bytesSent.addAndGet(c.sendFrame(0x82, small));
                        pace(k, 10, 1);
                    }
                }
                case "pongs" -> { // unsolicited pongs; reads whatever comes
                    c.discardInBackground();
                    byte[] pong = new byte[125];
                    for (long k = 0; running(); k++) {
                        tally.bytesSent.addAndGet(c.sendFrame(0x8A, pong));
                        pace(k, 10, 1);
                    }
                }
                default -> throw new IllegalArgumentException(kind);
            }
        } catch (IOException e) {
            return running() ? c.endingAfterWriteFailure() : "still-open-at-end";
        }
        return "still-open-at-end";
    }

    /**
     * Sleeps {@code ms} after every {@code every} frames: about 10,000 small frames a second per client at
     * most. On loopback the hostile clients share the server's CPUs; unpaced, a few dozen threads writing
     * flat out starve the server and the pairs of CPU, and the run measures the scheduler, not memory.
     */
    private static void pace(long k, int every, long ms) {
        if (k % every == every - 1) {
            pause(ms);
        }
    }

    /** Between 64 KiB fragments and big offers: about 1.3 MiB/s per client (1 MiB in under a second). */
    private static final long FRAGMENT_PAUSE_MS = 50;

    private static void pause(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
