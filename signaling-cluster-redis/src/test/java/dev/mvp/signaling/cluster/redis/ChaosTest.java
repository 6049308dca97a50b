package dev.mvp.signaling.cluster.redis;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.mvp.signaling.core.HubConfig;
import dev.mvp.signaling.core.OfflineQueuePolicy;
import dev.mvp.signaling.core.RateLimit;
import dev.mvp.signaling.core.memory.InMemoryClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Two nodes, a few hundred peers exchanging messages across them, Redis restarted and then one node
 * killed during the run. Every message a surviving peer sent is accounted for exactly once: delivered,
 * or bounced with an error frame (only {@code delivery-unconfirmed} may also have been delivered), and
 * no peer of the dead node is left in the directory.
 */
class ChaosTest {
    private static final int PAIRS = 100;
    private static final Duration WAIT = Duration.ofSeconds(10);

    /** A message by its sender and mid. */
    private record Key(String from, int mid) {}

    /** A sending loop over some clients, each sending one candidate to its partner per round. */
    private static final class Sender extends Thread {
        final List<InMemoryClient> clients;
        final Map<String, Integer> sent = new HashMap<>();
        final AtomicBoolean running = new AtomicBoolean(true);
        final AtomicLong total = new AtomicLong();

        Sender(String name, List<InMemoryClient> clients) {
            super(name);
            this.clients = clients;
            setDaemon(true);
        }

        @Override
        public void run() {
            while (running.get()) {
                for (InMemoryClient c : clients) {
                    int mid = sent.merge(c.id(), 1, Integer::sum);
                    c.send("{\"type\":\"candidate\",\"to\":\"" + partner(c.id()) + "\",\"candidate\":{\"candidate\":\"c\"},"
                            + "\"mid\":" + mid + "}");
                    total.incrementAndGet();
                }
                LockSupport.parkNanos(Duration.ofMillis(20).toNanos()); // pacing the load, not synchronising
            }
        }

        void halt() throws InterruptedException {
            running.set(false);
            join(WAIT.toMillis());
            assertThat(isAlive()).isFalse();
        }
    }

    static String partner(String id) {
        return (id.charAt(0) == 'e' ? "w" : "e") + id.substring(1);
    }

    @Test
    @Timeout(120)
    void everyMessageIsDeliveredOrBouncedOnceThroughARedisRestartAndANodeDeath() throws Exception {
        HubConfig config = HubConfig.builder().rateLimit(RateLimit.UNLIMITED)
                .offlineQueue(new OfflineQueuePolicy(Duration.ofMillis(500), 64, 64, 100_000)).build();
        List<InMemoryClient> eastClients = new ArrayList<>();
        List<InMemoryClient> westClients = new ArrayList<>();
        try (RedisServer redis = RedisServer.start();
             Node east = new Node(redis, "east", config.toBuilder());
             Node west = new Node(redis, "west", config.toBuilder())) {
            for (int i = 0; i < PAIRS; i++) {
                eastClients.add(east.client("e" + i));
                westClients.add(west.client("w" + i));
            }
            Sender fromEast = new Sender("chaos-east", eastClients);
            Sender fromWest = new Sender("chaos-west", westClients);
            fromEast.start();
            fromWest.start();
            try {
                Await.until("messages flow", WAIT, () -> east.hub.stats().messagesRouted() > 2 * PAIRS);
                redis.restart();
                Await.until("both nodes back", WAIT, () -> east.cluster.status() == ClusterStatus.CONNECTED
                        && west.cluster.status() == ClusterStatus.CONNECTED);
                long routed = east.hub.stats().messagesRouted();
                Await.until("messages flow again", WAIT, () -> east.hub.stats().messagesRouted() > routed + 2 * PAIRS);
                fromWest.halt();
            } finally {
                fromWest.running.set(false);
            }

            // West dies: what its clients had received is read now; its connections die with it.
            west.crash();
            Map<Key, Integer> delivered = new HashMap<>();
            Map<Key, List<String>> bounced = new HashMap<>();
            Map<String, Integer> byes = new HashMap<>();
            for (InMemoryClient c : westClients) {
                record(c, delivered, bounced, byes);
                c.close();
            }
            try {
                long routed = east.hub.stats().messagesRouted();
                long before = fromEast.total.get();
                Await.until("east goes on sending", WAIT, () -> fromEast.total.get() > before + 2 * PAIRS);
                Await.until("the dead node's peers left the directory", Node.LEASE.multipliedBy(4), () -> {
                    for (int i = 0; i < PAIRS; i++) {
                        if (east.cluster.directory().get("w" + i) != null) {
                            return false;
                        }
                    }
                    return true;
                });
            } finally {
                fromEast.halt();
            }
            Await.until("every message of east settled", WAIT, () -> east.cluster.inFlight() == 0
                    && east.hub.stats().heldMessages() == 0);
            for (InMemoryClient c : eastClients) {
                record(c, delivered, bounced, byes);
            }

            Map<String, Integer> outcomes = new TreeMap<>();
            int sentByEast = 0;
            for (Map.Entry<String, Integer> e : fromEast.sent.entrySet()) {
                for (int mid = 1; mid <= e.getValue(); mid++) {
                    sentByEast++;
                    Key k = new Key(e.getKey(), mid);
                    List<String> codes = bounced.getOrDefault(k, List.of());
                    int got = delivered.getOrDefault(k, 0);
                    assertThat(got).as("%s delivered at most once", k).isLessThanOrEqualTo(1);
                    assertThat(codes).as("%s bounced at most once", k).hasSizeLessThanOrEqualTo(1);
                    assertThat(got + codes.size()).as("%s has an outcome", k).isGreaterThanOrEqualTo(1);
                    if (got == 1 && codes.size() == 1) {
                        assertThat(codes.get(0)).as("%s both delivered and bounced", k)
                                .isEqualTo(ClusterErrorCodes.DELIVERY_UNCONFIRMED);
                    }
                    outcomes.merge(got == 1 && codes.isEmpty() ? "delivered" : codes.get(0), 1, Integer::sum);
                }
            }
            for (Map.Entry<Key, Integer> d : delivered.entrySet()) {
                assertThat(d.getValue()).as("%s delivered once", d.getKey()).isEqualTo(1);
            }
            for (Map.Entry<Key, List<String>> b : bounced.entrySet()) {
                assertThat(b.getValue()).as("%s bounced once", b.getKey()).hasSize(1);
            }
            for (InMemoryClient c : eastClients) {
                assertThat(byes.getOrDefault(c.id(), 0)).as("%s told its partner left", c.id()).isEqualTo(1);
            }
            System.out.println("ChaosTest: " + PAIRS * 2 + " peers, " + sentByEast + " messages from the surviving node: "
                    + outcomes + "; " + fromWest.sent.values().stream().mapToInt(Integer::intValue).sum()
                    + " from the node that died, " + delivered.size() + " delivered in all");
        } finally {
            eastClients.forEach(InMemoryClient::close);
        }
    }

    /** Sorts what {@code c} received: candidates delivered to it, bounces of what it sent, byes. */
    private static void record(InMemoryClient c, Map<Key, Integer> delivered, Map<Key, List<String>> bounced,
                               Map<String, Integer> byes) {
        for (String frame : c.drain()) {
            JsonObject o = JsonParser.parseString(frame).getAsJsonObject();
            switch (o.get("type").getAsString()) {
                case "candidate" -> delivered.merge(new Key(o.get("from").getAsString(), o.get("mid").getAsInt()), 1,
                        Integer::sum);
                case "error" -> bounced.computeIfAbsent(new Key(c.id(), o.get("mid").getAsInt()), k -> new ArrayList<>())
                        .add(o.get("code").getAsString());
                case "bye" -> byes.merge(c.id(), 1, Integer::sum);
                default -> throw new AssertionError(c.id() + " received " + frame);
            }
        }
    }

    static Set<String> ids(List<InMemoryClient> clients) {
        Set<String> ids = new HashSet<>();
        clients.forEach(c -> ids.add(c.id()));
        return ids;
    }
}
