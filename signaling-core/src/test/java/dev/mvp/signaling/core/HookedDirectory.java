package dev.mvp.signaling.core;

import java.util.concurrent.atomic.AtomicReference;

/**
 * An in-memory directory that runs a test's action once, right after the next {@code replace} or
 * {@code get}: a deterministic stand-in for another thread acting at that exact moment.
 */
final class HookedDirectory implements PeerDirectory {
    private final PeerDirectory peers = PeerDirectory.inMemory();
    private final AtomicReference<Runnable> afterReplace = new AtomicReference<>();
    private final AtomicReference<String> getId = new AtomicReference<>();
    private final AtomicReference<Runnable> afterGet = new AtomicReference<>();

    /** Runs {@code action} once, after the next successful {@code replace}. */
    void afterNextReplace(Runnable action) {
        afterReplace.set(action);
    }

    /** Runs {@code action} once, after the next lookup of {@code id}. */
    void afterNextGet(String id, Runnable action) {
        getId.set(id);
        afterGet.set(action);
    }

    @Override
    public Peer putIfAbsent(String id, Peer peer) {
        return peers.putIfAbsent(id, peer);
    }

    @Override
    public boolean replace(String id, Peer holder, Peer successor) {
        boolean replaced = peers.replace(id, holder, successor);
        if (replaced) {
            run(afterReplace.getAndSet(null));
        }
        return replaced;
    }

    @Override
    public boolean remove(String id, Peer peer) {
        return peers.remove(id, peer);
    }

    @Override
    public Peer get(String id) {
        Peer peer = peers.get(id);
        if (id.equals(getId.get())) {
            getId.set(null);
            run(afterGet.getAndSet(null));
        }
        return peer;
    }

    private static void run(Runnable action) {
        if (action != null) {
            action.run();
        }
    }
}
