package dev.mvp.signaling.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.mvp.signaling.core.Envelope;
import dev.mvp.signaling.core.HubConfig;
import dev.mvp.signaling.core.HubListener;
import dev.mvp.signaling.core.OfflineQueuePolicy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Hundreds of real WebSocket clients connect, register, exchange, drop abruptly (no close frame) and come
 * back, round after round. At the end every message sent is accounted for exactly once, as handed to its
 * recipient's connection or bounced to its sender with a mid-echoing error; every message handed to a
 * client that stayed connected arrived; no peer is left and the server holds no more connections or
 * threads than before. Bounded for CI; {@code -Dsoak.clients=400 -Dsoak.rounds=20} makes it longer.
 */
class ChurnSoakTest {
    private static final int CLIENTS = Integer.getInteger("soak.clients", 200);
    private static final int ROUNDS = Integer.getInteger("soak.rounds", 3);
    private static final int PER_SENDER = 5;
    private static final Duration HOLD = Duration.ofMillis(800);

    /** One client id, across its reconnections. */
    private final class Peer {
        final String id;
        WsClient ws;
        final Set<Integer> received = new HashSet<>();
        boolean everDropped;

        Peer(String id) {
            this.id = id;
        }

        /** Takes every frame that arrived: relayed offers into {@link #received}, errors into the bounces. */
        void drain() throws InterruptedException {
            String frame;
            while ((frame = ws.poll(0)) != null) {
                JsonObject o = JsonParser.parseString(frame).getAsJsonObject();
                String type = o.get("type").getAsString();
                if (type.equals("offer")) {
                    received.add(o.get("mid").getAsInt());
                } else if (type.equals("error")) {
                    assertThat(o.has("mid")).as("error without mid: %s", frame).isTrue();
                    String previous = bounced.put(o.get("mid").getAsInt(), o.get("code").getAsString());
                    assertThat(previous).as("bounced twice: %s", frame).isNull();
                } else if (!type.equals("bye") && !type.equals("registered")) {
                    throw new AssertionError("unexpected frame " + frame);
                }
            }
        }
    }

    private final Map<Integer, String> routedTo = new ConcurrentHashMap<>();
    private final Map<Integer, String> bounced = new HashMap<>();

    @Test
    void everyMessageIsDeliveredOrBouncedThroughChurnAndNothingIsLeftBehind() throws Exception {
        long jvmThreadsBefore = threadsOutsideTheHttpClient();
        java.util.Set<String> namesBefore = threadNames();
        HubListener recorder = new HubListener() {
            @Override
            public void routed(Envelope e) {
                if (e.mid() != null) {
                    routedTo.put(Integer.parseInt(e.mid()), e.to());
                }
            }
        };
        HubConfig hub = HubConfig.builder().listener(recorder)
                .offlineQueue(new OfflineQueuePolicy(HOLD, 4, 64, 10_000)).build();
        SignalingServer server = new SignalingServer(Servers.loopback().hubConfig(hub).build()).start();
        long start = System.nanoTime();
        Random random = new Random(20260101L);
        List<Peer> peers = new ArrayList<>();
        Map<Integer, String> sentBy = new HashMap<>();
        int drops = 0;
        try {
            try (WsClient warmUp = connectAndRegister(server, "warm-up")) {
                warmUp.closeNormally(); // the hub's timer thread starts with the first registration
            }
            Await.until("warm-up gone", () -> server.hub().stats().connections() == 0);
            int serverThreadsIdle = serverThreads();
            for (int i = 0; i < CLIENTS; i++) {
                Peer p = new Peer("p" + i);
                p.ws = connectAndRegister(server, p.id);
                peers.add(p);
            }
            int mid = 0;
            for (int round = 0; round < ROUNDS; round++) {
                List<Peer> droppers = new ArrayList<>();
                for (Peer p : peers) {
                    if (random.nextInt(5) == 0) {
                        droppers.add(p);
                    }
                }
                List<Peer> senders = peers.stream().filter(p -> !droppers.contains(p)).toList();
                int dropEvery = Math.max(1, senders.size() * PER_SENDER / Math.max(1, droppers.size()));
                int next = 0;
                for (int k = 0; k < PER_SENDER; k++) {
                    for (Peer s : senders) {
                        // some to absent ids, which are held and then expire or overflow
                        String to = random.nextInt(10) == 0 ? "absent" + random.nextInt(8) : "p" + random.nextInt(CLIENTS);
                        sentBy.put(mid, s.id);
                        s.ws.send("{\"type\":\"offer\",\"to\":\"" + to + "\",\"sdp\":\"v=0\",\"mid\":" + mid + "}");
                        mid++;
                        if (mid % dropEvery == 0 && next < droppers.size()) {
                            Peer d = droppers.get(next++);
                            d.drain();
                            d.everDropped = true;
                            d.ws.abort(); // no close frame
                            drops++;
                        }
                    }
                }
                for (; next < droppers.size(); next++) {
                    droppers.get(next).drain();
                    droppers.get(next).everDropped = true;
                    droppers.get(next).ws.abort();
                    drops++;
                }
                for (Peer d : droppers) {
                    d.ws = connectAndRegister(server, d.id);
                }
                awaitAccounted(peers, sentBy.keySet(), HOLD.toMillis() + 5_000);
                // a client that stayed connected received everything handed to it
                for (Peer p : senders) {
                    p.drain();
                }
            }

            Map<String, Integer> byOutcome = new TreeMap<>();
            for (Map.Entry<Integer, String> e : sentBy.entrySet()) {
                boolean delivered = routedTo.containsKey(e.getKey());
                String bounce = bounced.get(e.getKey());
                assertThat(delivered && bounce != null).as("message %d both delivered and bounced", e.getKey()).isFalse();
                byOutcome.merge(delivered ? "delivered" : bounce, 1, Integer::sum);
            }
            int receivedTotal = 0;
            for (Peer p : peers) {
                receivedTotal += p.received.size();
                for (int m : p.received) {
                    assertThat(routedTo.get(m)).as("received %d without the hub routing it to %s", m, p.id).isEqualTo(p.id);
                }
            }
            long lostInDrops = routedTo.size() - receivedTotal;
            // a client that never dropped receives exactly what the hub handed to its connection
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            for (Peer p : peers) {
                if (p.everDropped) {
                    continue;
                }
                Set<Integer> handed = new HashSet<>();
                routedTo.forEach((m, to) -> {
                    if (to.equals(p.id)) {
                        handed.add(m);
                    }
                });
                while (!p.received.equals(handed) && System.nanoTime() < deadline) {
                    Thread.sleep(10); // polling with a deadline
                    p.drain();
                }
                assertThat(p.received).as("what %s received", p.id).isEqualTo(handed);
            }
            for (Peer p : peers) {
                p.ws.closeNormally();
            }
            Await.until("every peer gone", () -> server.hub().peerIds().isEmpty());
            Await.until("every connection gone", () -> server.hub().stats().connections() == 0
                    && server.webSocketCount() == 0 && server.socketCount() == 0);
            Await.until("nothing held", () -> server.hub().stats().heldMessages() == 0);
            assertThat(server.hub().stats().suspendedPeers()).isZero();
            assertThat(serverThreads()).as(serverThreadNames().toString()).isEqualTo(serverThreadsIdle);
            long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            System.out.printf("ChurnSoakTest: %d clients, %d rounds, %d abrupt drops and reconnects, %d messages sent:"
                    + " %s; %d received by clients, %d handed to connections that then dropped; %d ms%n",
                    CLIENTS, ROUNDS, drops, sentBy.size(), byOutcome, receivedTotal, lostInDrops, ms);
            assertThat(byOutcome.values().stream().mapToInt(Integer::intValue).sum()).isEqualTo(sentBy.size());
            assertThat(byOutcome.keySet()).isSubsetOf("delivered", "delivery-expired", "queue-full", "peer-not-found");
            assertThat(byOutcome).containsKeys("delivered", "delivery-expired");
        } finally {
            for (Peer p : peers) {
                p.ws.close();
            }
            server.close();
        }
        Await.until("no server thread left", () -> Thread.getAllStackTraces().keySet().stream()
                .noneMatch(t -> t.isAlive() && t.getName().startsWith("signaling-")));
        // Netty's shared globalEventExecutor thread (it reports the loops' termination) ends by itself
        // about a second after its last task: wait for it rather than count it.
        Await.until("no thread left but the HTTP client's", () -> threadsOutsideTheHttpClient() <= jvmThreadsBefore);
        assertThat(threadsOutsideTheHttpClient()).as("threads now and not before: %s", newThreads(namesBefore))
                .isLessThanOrEqualTo(jvmThreadsBefore);
    }

    /** Connects and registers; retries while the hub has not yet seen the previous connection drop. */
    private static WsClient connectAndRegister(SignalingServer server, String id) throws Exception {
        WsClient c = WsClient.connect(server.webSocketUri(id));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (true) {
            c.send("{\"type\":\"register\",\"id\":\"" + id + "\"}");
            JsonObject answer = c.nextJson();
            if (answer.get("type").getAsString().equals("registered")) {
                return c;
            }
            assertThat(answer.get("code").getAsString()).isEqualTo("id-taken");
            assertThat(System.nanoTime()).as("%s still taken", id).isLessThan(deadline);
            assertThat(c.poll(20)).isNull(); // a short pause before the retry, nothing may arrive meanwhile
        }
    }

    /** Waits until every message sent has an outcome (routed, or a bounce its sender received). */
    private void awaitAccounted(List<Peer> peers, Set<Integer> sent, long timeoutMs) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        while (true) {
            for (Peer p : peers) {
                p.drain();
            }
            long open = sent.stream().filter(m -> !routedTo.containsKey(m) && !bounced.containsKey(m)).count();
            if (open == 0) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError(open + " messages neither delivered nor bounced after " + timeoutMs + " ms");
            }
            Thread.sleep(20); // polling with a deadline
        }
    }

    private static int serverThreads() {
        return (int) Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.isAlive() && t.getName().startsWith("signaling-")).count();
    }

    private static List<String> serverThreadNames() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.isAlive() && t.getName().startsWith("signaling-")).map(Thread::getName).sorted().toList();
    }

    private static java.util.Set<String> threadNames() {
        return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).map(Thread::getName)
                .collect(java.util.stream.Collectors.toSet());
    }

    private static java.util.Set<String> newThreads(java.util.Set<String> before) {
        java.util.Set<String> now = new java.util.TreeSet<>(threadNames());
        now.removeAll(before);
        return now;
    }

    private static long threadsOutsideTheHttpClient() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.isAlive() && !t.getName().startsWith("HttpClient-")).count();
    }
}
