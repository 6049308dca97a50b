package dev.mvp.signaling.bench;

import dev.mvp.signaling.bench.client.ClientConn;
import dev.mvp.signaling.bench.client.ClientHandler;
import dev.mvp.signaling.bench.client.ClientLoop;
import dev.mvp.signaling.bench.client.WsFrames;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * N registered clients that send nothing more: the connections scenario, and the idle crowd beside the
 * relay. Can check that a message is still routed between two of them.
 */
final class IdleClients {
    private final List<Registrar.Peer> peers = new ArrayList<>();
    private final LongAdder unexpected = new LongAdder();
    private volatile CompletableFuture<String> probe = new CompletableFuture<>();

    private final ClientHandler handler = new ClientHandler() {
        @Override
        public void onText(ClientConn c, ByteBuffer payload) {
            String text = ClientConn.text(payload);
            if (!probe.complete(text)) {
                unexpected.increment();
            }
        }
    };

    IdleClients(String prefix, int n) {
        for (int i = 0; i < n; i++) {
            peers.add(new Registrar.Peer(prefix + i));
        }
    }

    /** Connects and registers all; returns the nanoseconds it took. */
    long connect(List<ClientLoop> loops, ServerProcess server, long timeoutMs) throws InterruptedException {
        return Registrar.connectAll(peers, loops, server.address(), p -> handler, timeoutMs);
    }

    /**
     * Sends a candidate from the first client to the last and waits for it.
     *
     * @return the milliseconds until it arrived, or NaN if it did not within 5 s
     */
    double probe() {
        Registrar.Peer from = peers.get(0);
        Registrar.Peer to = peers.get(peers.size() - 1);
        probe = new CompletableFuture<>();
        long t0 = System.nanoTime();
        from.conn.loop().execute(() -> from.conn.send(WsFrames.text(Messages.candidate(from.id, to.id))));
        try {
            String got = probe.get(5, TimeUnit.SECONDS);
            boolean ok = got.contains("\"candidate\"") && got.contains("\"from\":\"" + from.id + "\"");
            return ok ? (System.nanoTime() - t0) / 1e6 : Double.NaN;
        } catch (Exception e) {
            return Double.NaN;
        }
    }

    long unexpected() {
        return unexpected.sum();
    }

    int size() {
        return peers.size();
    }
}
