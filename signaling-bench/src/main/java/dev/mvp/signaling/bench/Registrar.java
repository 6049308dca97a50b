package dev.mvp.signaling.bench;

import dev.mvp.signaling.bench.client.ClientConn;
import dev.mvp.signaling.bench.client.ClientHandler;
import dev.mvp.signaling.bench.client.ClientLoop;
import dev.mvp.signaling.bench.client.WsFrames;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * Connects clients and registers them, at most {@link #IN_FLIGHT} handshakes at a time (more would
 * only overflow the accept queue and wait for SYN retries), and waits until all are registered.
 */
final class Registrar {
    static final int IN_FLIGHT = 256;

    /** A client's registration state; scenarios extend it with their own. */
    static class Peer {
        final String id;
        volatile boolean registered;
        ClientConn conn;

        Peer(String id) {
            this.id = id;
        }
    }

    /**
     * Wraps a scenario's handler: sends {@code register} on open, swallows frames until
     * {@code registered}, then hands everything to {@code after}.
     */
    static final class Registering implements ClientHandler {
        private final ClientHandler after;
        private final Semaphore slots;
        private final AtomicInteger registered;
        private final AtomicInteger failed;

        Registering(ClientHandler after, Semaphore slots, AtomicInteger registered, AtomicInteger failed) {
            this.after = after;
            this.slots = slots;
            this.registered = registered;
            this.failed = failed;
        }

        @Override
        public void onOpen(ClientConn c) {
            c.send(WsFrames.text(Messages.register(((Peer) c.attachment).id)));
        }

        @Override
        public void onText(ClientConn c, ByteBuffer payload) {
            Peer p = (Peer) c.attachment;
            if (p.registered) {
                after.onText(c, payload);
                return;
            }
            if (ClientConn.text(payload).contains("\"registered\"")) {
                p.registered = true;
                registered.incrementAndGet();
                slots.release();
            } else {
                failed.incrementAndGet();
            }
        }

        @Override
        public void onClose(ClientConn c, int code) {
            Peer p = (Peer) c.attachment;
            if (!p.registered) {
                failed.incrementAndGet();
                slots.release();
            }
            after.onClose(c, code);
        }
    }

    /**
     * Connects one client per peer (round robin over the loops) and waits until every one is
     * registered.
     *
     * @return the elapsed nanoseconds
     * @throws IllegalStateException if not all registered within {@code timeoutMs}
     */
    static <P extends Peer> long connectAll(List<P> peers, List<ClientLoop> loops, InetSocketAddress server,
                                            Function<P, ClientHandler> handlerOf, long timeoutMs) throws InterruptedException {
        Semaphore slots = new Semaphore(IN_FLIGHT);
        AtomicInteger registered = new AtomicInteger();
        AtomicInteger failed = new AtomicInteger();
        long start = System.nanoTime();
        long deadline = start + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        int i = 0;
        for (P p : peers) {
            if (!slots.tryAcquire(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                throw new IllegalStateException("timed out connecting: " + registered.get() + " of " + peers.size() + " registered");
            }
            Registering h = new Registering(handlerOf.apply(p), slots, registered, failed);
            p.conn = loops.get(i++ % loops.size()).connect(server, "/ws/" + p.id, h, p);
        }
        while (registered.get() < peers.size()) {
            if (failed.get() > 0) {
                throw new IllegalStateException(failed.get() + " clients failed to register");
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("timed out: " + registered.get() + " of " + peers.size() + " registered");
            }
            Thread.sleep(1);
        }
        return System.nanoTime() - start;
    }
}
