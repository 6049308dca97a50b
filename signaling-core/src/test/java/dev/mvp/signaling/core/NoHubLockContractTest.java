package dev.mvp.signaling.core;

import static dev.mvp.signaling.core.MockConnections.offer;
import static dev.mvp.signaling.core.MockConnections.register;
import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.AdditionalAnswers.delegatesTo;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.withSettings;

import java.lang.management.LockInfo;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.mockito.stubbing.Answer;

/**
 * The threading promise of {@link SignalingHub}: it holds no lock of its own while it calls a
 * {@link Connection}, an {@link Authenticator}, a {@link MessageInterceptor}, a {@link HubListener} or a
 * {@link RoomAccess}, nor its {@link PeerDirectory}, {@link RoomDirectory} or {@link Scheduler}.
 *
 * <p>Every extension point is a Mockito mock whose answer first checks two things on the calling thread:
 * that it holds no monitor and no lock at all (the test drives the hub from threads that hold none, so
 * any lock is the hub's, a session's included), and that the hub still serves another thread meanwhile
 * (a probe registers a client, routes to every registered peer, holds a message for an absent one and
 * reads the stats, within a timeout). A lock held across the call would show in the first check and
 * block the probe in the second. Each call is checked once for each path through the hub it comes from.
 */
class NoHubLockContractTest {
    private static final long PROBE_TIMEOUT_SECONDS = 10;
    private static final String PROBE_THREAD = "hub-probe";
    private static final String TOKEN = "s3cret";

    private final List<String> violations = new CopyOnWriteArrayList<>();
    private final Set<String> calledWithoutLocks = ConcurrentHashMap.newKeySet();
    /** The calls checked so far, each with the path in the hub it came from. */
    private final Set<String> checkedPaths = ConcurrentHashMap.newKeySet();
    /** The paths a probe ran during (on the test's thread only: a probe does not probe). */
    private final Set<String> probedPaths = ConcurrentHashMap.newKeySet();
    private final List<Thread> probes = new CopyOnWriteArrayList<>();
    private final AtomicInteger probeIds = new AtomicInteger();
    private final ManualScheduler time = new ManualScheduler();
    private volatile SignalingHub hub;

    @AfterEach
    void tearDown() throws InterruptedException {
        if (hub != null) {
            hub.close();
        }
        for (Thread t : probes) {
            t.join(TimeUnit.SECONDS.toMillis(PROBE_TIMEOUT_SECONDS));
            assertThat(t.isAlive()).as(t + " still running").isFalse();
        }
    }

    /** An answer that checks the calling thread and the hub, then does what {@code then} does. */
    private Answer<Object> checked(String what, Answer<?> then) {
        return inv -> {
            String call = what + "." + inv.getMethod().getName();
            String path = call + " from " + hubFrames();
            if (checkedPaths.add(path)) { // each path once: reading a thread's locks stops the VM briefly
                List<String> locks = locksHeldByThisThread();
                if (locks.isEmpty()) {
                    calledWithoutLocks.add(call);
                } else {
                    violations.add(call + " was called holding " + locks + ", " + path);
                }
            }
            if (!Thread.currentThread().getName().startsWith(PROBE_THREAD) && hub != null && probedPaths.add(path)) {
                probe(path);
            }
            return then.answer(inv);
        };
    }

    /** The hub's own frames on this thread's stack, innermost first: where the hub made the call. */
    private static String hubFrames() {
        return StackWalker.getInstance().walk(frames -> frames
                .filter(f -> f.getClassName().startsWith(SignalingHub.class.getPackageName() + ".")
                        && !f.getClassName().startsWith(NoHubLockContractTest.class.getName())
                        && !f.getClassName().contains("$MockitoMock$"))
                .map(f -> f.getClassName().substring(f.getClassName().lastIndexOf('.') + 1) + "." + f.getMethodName()
                        + ":" + f.getLineNumber())
                .toList()).toString();
    }

    private static List<String> locksHeldByThisThread() {
        ThreadInfo info = ManagementFactory.getThreadMXBean()
                .getThreadInfo(new long[] {Thread.currentThread().getId()}, true, true)[0];
        List<String> held = new ArrayList<>();
        for (LockInfo monitor : info.getLockedMonitors()) {
            held.add("monitor of " + monitor.getClassName());
        }
        for (LockInfo lock : info.getLockedSynchronizers()) {
            // The worker lock of the pool JUnit runs a test on when it has a timeout: held for the whole
            // test by whoever runs it, never one of the hub's.
            if (!lock.getClassName().equals("java.util.concurrent.ThreadPoolExecutor$Worker")) {
                held.add("lock " + lock.getClassName());
            }
        }
        return held;
    }

    /** From another thread, uses the hub as a client would; records a violation if it cannot within the timeout. */
    private void probe(String during) {
        SignalingHub h = hub;
        CompletableFuture<Void> done = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            try {
                String id = "probe-" + probeIds.incrementAndGet();
                Session s = h.open(connection(id, 0), id);
                s.onText(register(id, TOKEN));
                for (String peer : h.peerIds()) {
                    s.onText(offer(peer));
                }
                s.onText(offer("absent-" + id));
                h.stats();
                s.onClose(CloseCodes.NORMAL, "");
                done.complete(null);
            } catch (Throwable e) {
                done.completeExceptionally(e);
            }
        }, PROBE_THREAD + "-" + during);
        t.setDaemon(true);
        probes.add(t);
        t.start();
        try {
            done.get(PROBE_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            violations.add("the hub did not serve another thread while " + during + " ran");
        } catch (Exception e) {
            violations.add("the probe during " + during + " failed: " + e);
        }
    }

    /** A connection that reports {@code buffered} bytes waiting; its every method is checked. */
    private Connection connection(String id, long buffered) {
        Handshake handshake = MockConnections.handshake(id);
        return mock(Connection.class, withSettings().name(id).defaultAnswer(checked("Connection", inv ->
                switch (inv.getMethod().getName()) {
                    case "handshake" -> handshake;
                    case "bufferedBytes" -> buffered;
                    default -> null;
                })));
    }

    @Test
    void everyExtensionPointIsCalledWithoutAHubLockAndTheHubServesMeanwhile() {
        Authenticator tokens = Authenticator.staticTokens(Map.of("alice", TOKEN, "bob", TOKEN, "carol", TOKEN));
        Authenticator authenticator = mock(Authenticator.class, checked("Authenticator",
                inv -> {
                    AuthRequest r = inv.getArgument(0);
                    return r.id().startsWith("probe-") ? AuthResult.accepted() : tokens.authenticate(r);
                }));
        HubListener listener = mock(HubListener.class, checked("HubListener", inv -> null));
        MessageInterceptor interceptor = mock(MessageInterceptor.class, checked("MessageInterceptor", inv -> {
            inv.<MessageInterceptor.Chain>getArgument(1).proceed();
            return null;
        }));
        PeerDirectory directory = mock(PeerDirectory.class, checked("PeerDirectory", delegatesTo(PeerDirectory.inMemory())));
        Scheduler scheduler = mock(Scheduler.class, checked("Scheduler", delegatesTo(time)));
        RoomAccess roomAccess = mock(RoomAccess.class, checked("RoomAccess", inv -> true));
        RoomDirectory rooms = mock(RoomDirectory.class, checked("RoomDirectory", delegatesTo(RoomDirectory.inMemory())));
        hub = new SignalingHub(HubConfig.builder()
                .authenticator(authenticator)
                .listener(listener)
                .addInterceptor(interceptor)
                .directory(directory)
                .scheduler(scheduler)
                .duplicateIdPolicy(DuplicateIdPolicy.REPLACE_WITH_VERIFIED_TOKEN)
                .maxBufferedBytes(1_000)
                .rooms(RoomPolicy.ENABLED)
                .roomAccess(roomAccess)
                .roomDirectory(rooms)
                .build());

        Connection alice = connection("alice", 0);
        Connection bob = connection("bob", 0);
        Session a = hub.open(alice, "alice");
        Session b = hub.open(bob, "bob");
        a.onText(register("alice", TOKEN));
        b.onText(register("bob", TOKEN));
        a.onText(offer("bob"));
        b.onText("{\"type\":\"answer\",\"to\":\"alice\",\"sdp\":\"v=0\"}");
        b.onText("{\"type\":\"answer\",\"to\":\"alice\"}"); // rejected: no sdp
        a.onText("{\"type\":\"ping\"}");
        a.onText("{\"type\":\"join\",\"room\":\"lobby\"}");
        b.onText("{\"type\":\"join\",\"room\":\"lobby\"}"); // alice hears peer-joined
        a.onText("{\"type\":\"members\",\"room\":\"lobby\"}");
        b.onText("{\"type\":\"leave\",\"room\":\"lobby\"}"); // alice hears peer-left
        b.onText("{\"type\":\"join\",\"room\":\"lobby\"}"); // and bob's successor hears alice leave at the end

        a.onText(offer("carol")); // held until carol registers
        Session c = hub.open(connection("carol", 0), "carol");
        c.onText(register("carol", TOKEN));

        a.onText(offer("dave")); // held, then expires
        time.advance(Duration.ofSeconds(6));

        Session idle = hub.open(connection("idle", 0), "idle"); // never registers
        time.advance(Duration.ofSeconds(11));

        Session slow = hub.open(connection("slow", 5_000), "slow"); // does not read
        slow.onText("{\"type\":\"ping\"}");

        a.onClose(CloseCodes.ABNORMAL, ""); // alice's id is kept for her...
        Session a2 = hub.open(connection("alice", 0), "alice");
        a2.onText(register("alice", TOKEN)); // ...and she resumes

        Session b2 = hub.open(connection("bob", 0), "bob");
        b2.onText(register("bob", TOKEN)); // replaces bob's first connection

        hub.disconnect("carol", CloseCodes.POLICY_VIOLATION, "removed");
        a2.onClose(CloseCodes.ABNORMAL, "");
        time.advance(Duration.ofSeconds(11)); // alice does not come back: her peers are told
        hub.close();
        idle.onClose(CloseCodes.GOING_AWAY, "");

        assertThat(violations).as("%d paths checked, %d probed", checkedPaths.size(), probedPaths.size()).isEmpty();
        assertThat(calledWithoutLocks).contains(
                "Connection.handshake", "Connection.send", "Connection.close", "Connection.bufferedBytes",
                "Authenticator.authenticate", "MessageInterceptor.intercept",
                "HubListener.connected", "HubListener.registered", "HubListener.routed", "HubListener.rejected",
                "HubListener.left",
                "PeerDirectory.putIfAbsent", "PeerDirectory.replace", "PeerDirectory.remove", "PeerDirectory.get",
                "Scheduler.schedule", "Scheduler.nanoTime",
                "RoomAccess.mayJoin", "RoomAccess.maySee",
                "RoomDirectory.join", "RoomDirectory.leave", "RoomDirectory.members");
    }
}
