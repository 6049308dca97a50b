package dev.mvp.signaling.core;

import static dev.mvp.signaling.core.TestFrames.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import dev.mvp.signaling.core.memory.InMemoryClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Hundreds of clients register, route and disconnect at the same time; every message is accounted for.
 */
class ConcurrencyTest {
    private static final int CLIENTS = 400;
    private static final int MESSAGES_EACH = 100;
    private static final int CHURN_MESSAGES_EACH = 50;
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final java.util.Set<String> BOUNCES =
            java.util.Set.of(ErrorCodes.PEER_NOT_FOUND, ErrorCodes.QUEUE_FULL, ErrorCodes.DELIVERY_EXPIRED);

    private final ExecutorService pool = Executors.newFixedThreadPool(8);

    @AfterEach
    void tearDown() throws InterruptedException {
        pool.shutdownNow();
        assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void everyMessageIsDeliveredOnceInOrderOrBouncedUnderConcurrency() throws Exception {
        LongAdder routed = new LongAdder();
        LongAdder bounced = new LongAdder();
        ManualScheduler time = new ManualScheduler();
        HubListener counter = new HubListener() {
            @Override
            public void routed(Envelope message) {
                routed.increment();
            }

            @Override
            public void rejected(Rejection r) {
                if (BOUNCES.contains(r.code())) {
                    bounced.increment();
                }
            }
        };
        long start = System.nanoTime();
        try (SignalingHub hub = new SignalingHub(HubConfig.builder().listener(counter).scheduler(time).build())) {
            List<InMemoryClient> clients = new ArrayList<>();
            for (int i = 0; i < CLIENTS; i++) {
                clients.add(InMemoryClient.connect(hub, "peer-" + i));
            }
            runAll(clients.size(), i -> clients.get(i).register());
            assertThat(hub.stats().registeredPeers()).isEqualTo(CLIENTS);

            // Phase 1: everyone sends to random peers at once; all are connected, so all must arrive.
            runAll(CLIENTS, i -> {
                Random random = new Random(i);
                for (int k = 0; k < MESSAGES_EACH; k++) {
                    int to = random.nextInt(CLIENTS);
                    clients.get(i).send(candidate("peer-" + to, i + ":" + k));
                }
            });
            Map<String, Integer> lastSeq = new HashMap<>();
            Set<String> seen = new HashSet<>();
            int received = 0;
            for (int r = 0; r < CLIENTS; r++) {
                for (String frame : clients.get(r).drain()) {
                    JsonObject m = json(frame);
                    assertThat(m.get("type").getAsString()).isEqualTo("candidate");
                    assertThat(m.get("to").getAsString()).isEqualTo("peer-" + r);
                    String mid = m.get("mid").getAsString();
                    String sender = mid.substring(0, mid.indexOf(':'));
                    int seq = Integer.parseInt(mid.substring(mid.indexOf(':') + 1));
                    assertThat(m.get("from").getAsString()).isEqualTo("peer-" + sender);
                    assertThat(seen.add(mid)).as("delivered once: " + mid).isTrue();
                    Integer before = lastSeq.put(sender + ">" + r, seq);
                    assertThat(before == null || before < seq).as("in order: " + mid).isTrue();
                    received++;
                }
            }
            assertThat(received).isEqualTo(CLIENTS * MESSAGES_EACH);
            assertThat(routed.sum()).isEqualTo(CLIENTS * MESSAGES_EACH);
            assertThat(bounced.sum()).isZero();

            // Phase 2: half the clients drop while the other half keep sending to them.
            long routedBefore = routed.sum();
            // Tasks alternate (drop, send, drop, send, ...) so drops land in the middle of the sending.
            runAll(CLIENTS, j -> {
                int i = j % 2 == 0 ? j / 2 : CLIENTS / 2 + j / 2;
                if (i < CLIENTS / 2) {
                    clients.get(i).drop();
                } else {
                    Random random = new Random(i);
                    for (int k = 0; k < CHURN_MESSAGES_EACH; k++) {
                        clients.get(i).send(candidate("peer-" + random.nextInt(CLIENTS / 2), i + ":c" + k));
                    }
                }
            });
            long churnSent = (long) (CLIENTS / 2) * CHURN_MESSAGES_EACH;
            long heldAtTheEnd = hub.stats().heldMessages();
            time.advance(hub.config().offlineQueue().holdFor()); // what waits for a dropped peer expires
            assertThat((routed.sum() - routedBefore) + bounced.sum())
                    .as("every message sent while peers dropped was delivered or bounced").isEqualTo(churnSent);
            int errorsReceived = 0;
            for (int i = CLIENTS / 2; i < CLIENTS; i++) {
                for (String frame : clients.get(i).drain()) {
                    if (TestFrames.type(frame).equals("error")) {
                        assertThat(json(frame).get("code").getAsString()).isIn(BOUNCES);
                        errorsReceived++;
                    }
                }
            }
            assertThat(errorsReceived).isEqualTo(bounced.intValue());
            assertThat(hub.stats().registeredPeers()).isEqualTo(CLIENTS / 2);

            runAll(CLIENTS, i -> clients.get(i).close());
            assertThat(hub.stats().connections()).isZero();
            assertThat(hub.stats().registeredPeers()).isZero();
            assertThat(hub.peerIds()).isEmpty();

            assertThat(hub.stats().heldMessages()).isZero();
            System.out.printf("ConcurrencyTest: %d clients, %d messages delivered in order, %d churn messages "
                            + "(%d delivered, %d bounced, of which %d after being held), %d ms%n", CLIENTS, received,
                    churnSent, routed.sum() - routedBefore, bounced.sum(), heldAtTheEnd,
                    (System.nanoTime() - start) / 1_000_000);
        }
    }

    @Test
    void twoClientsThatStopReadingAndSendToEachOtherAtOnceAreBothClosedWithoutDeadlock() throws Exception {
        java.util.concurrent.atomic.AtomicReference<InMemoryClient> carol = new java.util.concurrent.atomic.AtomicReference<>();
        String big = candidate("x", "y".repeat(200));
        // alice's and bob's messages wait for each other here; then carol fills both their buffers, so
        // each sender's thread finds its recipient not reading and closes it
        java.util.concurrent.CyclicBarrier bothSending = new java.util.concurrent.CyclicBarrier(2, () -> {
            carol.get().send(big.replace("\"to\":\"x\"", "\"to\":\"alice\""));
            carol.get().send(big.replace("\"to\":\"x\"", "\"to\":\"bob\""));
        });
        MessageInterceptor meet = (message, chain) -> {
            if (!message.from().equals("carol")) {
                try {
                    bothSending.await(WAIT.toMillis(), TimeUnit.MILLISECONDS);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }
            chain.proceed();
        };
        SignalingHub hub = new SignalingHub(HubConfig.builder().scheduler(new ManualScheduler())
                .maxBufferedBytes(100).addInterceptor(meet).build());
        InMemoryClient alice = InMemoryClient.connect(hub, "alice");
        InMemoryClient bob = InMemoryClient.connect(hub, "bob");
        carol.set(InMemoryClient.connect(hub, "carol"));
        alice.register();
        bob.register();
        carol.get().register();

        Thread a = new Thread(() -> alice.send(candidate("bob", "1")), "alice-transport");
        Thread b = new Thread(() -> bob.send(candidate("alice", "2")), "bob-transport");
        a.setDaemon(true);
        b.setDaemon(true);
        a.start();
        b.start();
        a.join(WAIT.toMillis());
        b.join(WAIT.toMillis());

        assertThat(a.isAlive() || b.isAlive()).as("a sender's thread is stuck").isFalse();
        assertThat(alice.awaitClose(WAIT).code()).isEqualTo(CloseCodes.SLOW_CONSUMER);
        assertThat(bob.awaitClose(WAIT).code()).isEqualTo(CloseCodes.SLOW_CONSUMER);
        hub.close();
    }

    private static String candidate(String to, String mid) {
        return "{\"type\":\"candidate\",\"to\":\"" + to + "\",\"mid\":\"" + mid + "\",\"candidate\":"
                + "{\"candidate\":\"candidate:3110102923 1 udp 2122260223 127.0.0.1 36322 typ host generation 0\","
                + "\"sdpMid\":\"0\",\"sdpMLineIndex\":0,\"usernameFragment\":\"LJ/+\"}}";
    }

    private interface IndexTask {
        void run(int i) throws Exception;
    }

    private void runAll(int count, IndexTask task) throws Exception {
        List<Future<?>> futures = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            int index = i;
            futures.add(pool.submit(() -> {
                task.run(index);
                return null;
            }));
        }
        for (Future<?> f : futures) {
            f.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        }
    }
}
