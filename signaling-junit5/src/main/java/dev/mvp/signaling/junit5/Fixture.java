package dev.mvp.signaling.junit5;

import dev.mvp.signaling.core.CloseCodes;
import dev.mvp.signaling.core.Envelope;
import dev.mvp.signaling.core.HubConfig;
import dev.mvp.signaling.core.HubListener;
import dev.mvp.signaling.core.MessageInterceptor;
import dev.mvp.signaling.core.Rejection;
import dev.mvp.signaling.core.SignalingHub;
import dev.mvp.signaling.server.ServerConfig;
import dev.mvp.signaling.server.ServerStartException;
import dev.mvp.signaling.server.SignalingServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * One running server of a {@link SignalingServerExtension} and the tests using it: every hub event goes to
 * the server-wide recording and to the recording of each test it concerns; every routed message passes
 * the faults of the running tests.
 */
final class Fixture implements AutoCloseable {
    /** How long a test's end waits for its peers to leave, and a restart for its port. */
    private static final Duration SETTLE = Duration.ofSeconds(5);

    private final ServerConfig config;
    private final List<TestScope> tests = new CopyOnWriteArrayList<>();
    private final TestScope everything;
    private volatile SignalingServer server;
    private final Object restarts = new Object();
    private ScheduledThreadPoolExecutor timer; // guarded by this
    private boolean closed; // guarded by this

    private Fixture(ServerConfig template) {
        this.everything = new TestScope(this, "the server", false);
        HubConfig hub = template.hubConfig();
        this.config = template.toBuilder().hubConfig(hub.toBuilder()
                .listener(HubListener.all(hub.listener(), new Dispatcher()))
                .addInterceptor(this::intercept)
                .build()).build();
    }

    static Fixture start(ServerConfig template) {
        Fixture f = new Fixture(template);
        f.server = new SignalingServer(f.config).start();
        return f;
    }

    SignalingServer server() {
        return server;
    }

    SignalingHub hub() {
        return server.hub();
    }

    TestScope everything() {
        return everything;
    }

    List<TestScope> tests() {
        return tests;
    }

    TestScope beginTest(String name) {
        TestScope s = new TestScope(this, name, true);
        tests.add(s);
        return s;
    }

    /**
     * Ends a test: its faults and clients go, and (when the server lives on) its peers get a bounded time to
     * leave and are then disconnected, so that their departure is not taken for the next test's.
     */
    void endTest(TestScope s, boolean serverLivesOn) {
        try {
            s.end();
            if (serverLivesOn && !s.ids.isEmpty()) {
                if (!s.recording.awaitGone(s.ids, () -> hub().peerIds(), SETTLE)) {
                    for (String id : s.ids) {
                        hub().disconnect(id, CloseCodes.GOING_AWAY, "the test that used this id has ended");
                    }
                    s.recording.awaitGone(s.ids, () -> hub().peerIds(), SETTLE);
                }
            }
        } finally {
            tests.remove(s);
        }
    }

    /**
     * Gives {@code id} to the test of {@code s}.
     *
     * @throws IllegalStateException if another test running now has it
     */
    synchronized void claim(TestScope s, String id) {
        if (!s.claims()) {
            return;
        }
        for (TestScope other : tests) {
            if (other != s && other.ids.contains(id)) {
                throw new IllegalStateException("peer id '" + id + "' is used by " + other + ", which runs at the "
                        + "same time on this shared server; give each test ids of its own, or each test a server "
                        + "of its own (an instance field instead of a static one)");
            }
        }
        s.ids.add(id);
    }

    /** Closes the server and starts a new one on the same address and port; the recordings go on. */
    void restart() {
        synchronized (restarts) {
            synchronized (this) {
                if (closed) {
                    throw new IllegalStateException("the server is closed");
                }
            }
            restartNow();
        }
    }

    private void restartNow() { // holding restarts
        SignalingServer old = server;
        String host = config.host();
        int port = old.port();
        old.close();
        long deadline = System.nanoTime() + SETTLE.toNanos();
        ServerConfig again = config.toBuilder().host(host).port(port).build();
        while (true) {
            try {
                server = new SignalingServer(again).start();
                return;
            } catch (ServerStartException e) {
                // the port may be briefly taken by a client socket of another test; retry for a bounded time
                if (System.nanoTime() - deadline > 0) {
                    throw e;
                }
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
            }
        }
    }

    @Override
    public void close() {
        ScheduledThreadPoolExecutor t;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            t = timer;
            timer = null;
        }
        for (TestScope s : new ArrayList<>(tests)) {
            endTest(s, false);
        }
        everything.end();
        if (t != null) {
            t.shutdownNow();
        }
        synchronized (restarts) {
            server.close();
        }
        if (t != null) {
            try {
                t.awaitTermination(1, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void intercept(Envelope message, MessageInterceptor.Chain chain) {
        Faults.Armed fault = null;
        for (TestScope s : tests) {
            fault = s.faults.take(message);
            if (fault != null) {
                break;
            }
        }
        if (fault == null) {
            fault = everything.faults.take(message);
        }
        if (fault == null) {
            chain.proceed();
            return;
        }
        switch (fault.action()) {
            case DROP -> record(Recording.dropped(message));
            case HOLD -> fault.held().hold(message, chain);
            case DELAY -> {
                synchronized (this) {
                    if (!closed) {
                        timer().schedule(chain::proceed, fault.delay().toNanos(), TimeUnit.NANOSECONDS);
                        return;
                    }
                }
                chain.proceed();
            }
        }
    }

    private ScheduledThreadPoolExecutor timer() { // called holding this
        if (timer == null) {
            timer = new ScheduledThreadPoolExecutor(1, r -> {
                Thread t = new Thread(r, "signaling-junit5-faults");
                t.setDaemon(true);
                return t;
            });
        }
        return timer;
    }

    /**
     * Gives {@code m} to the tests that own its sender or recipient; a message between ids no running test
     * owns goes to the tests that own no ids at all.
     */
    private void record(RecordedMessage m) {
        everything.recording.add(m);
        deliver(m.from(), m.to(), s -> s.recording.add(m));
    }

    private void record(PeerEvent e) {
        everything.recording.add(e);
        deliver(e.id(), null, s -> s.recording.add(e));
    }

    private void deliver(String a, String b, java.util.function.Consumer<TestScope> to) {
        boolean owned = false;
        for (TestScope s : tests) {
            if (owns(s, a) || owns(s, b)) {
                owned = true;
                to.accept(s);
            }
        }
        if (!owned) {
            for (TestScope s : tests) {
                if (s.ids.isEmpty()) {
                    to.accept(s);
                }
            }
        }
    }

    private static boolean owns(TestScope s, String id) {
        return id != null && s.ids.contains(id);
    }

    /** Hands every hub event to the recordings it concerns. */
    private final class Dispatcher implements HubListener {
        @Override
        public void registered(String id) {
            record(new PeerEvent(PeerEvent.Kind.REGISTERED, id, 0, null));
        }

        @Override
        public void left(String id, int code, String reason) {
            record(new PeerEvent(PeerEvent.Kind.LEFT, id, code, reason == null ? "" : reason));
        }

        @Override
        public void routed(Envelope m) {
            record(Recording.routed(m));
        }

        @Override
        public void rejected(Rejection r) {
            record(Recording.rejected(r));
        }
    }
}
