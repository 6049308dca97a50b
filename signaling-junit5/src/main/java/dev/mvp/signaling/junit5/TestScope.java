package dev.mvp.signaling.junit5;

import dev.mvp.signaling.client.SignalingClient;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What one test owns on a server: the peer ids it used, its recording, its faults, the clients injected
 * into it. The server-wide scope (for {@code @BeforeAll} and use without JUnit) owns no ids and records
 * everything.
 */
final class TestScope {
    final String name;
    final Set<String> ids = ConcurrentHashMap.newKeySet();
    final Recording recording = new Recording();
    final Faults faults;
    final SignalingServerInfo info;
    private final boolean claims;
    private final List<SignalingClient> clients = new ArrayList<>(); // guarded by this
    private volatile boolean ended;

    TestScope(Fixture fixture, String name, boolean claims) {
        this.name = name;
        this.claims = claims;
        this.faults = new Faults(fixture::hub, id -> fixture.claim(this, id));
        this.info = new SignalingServerInfo(fixture, this);
    }

    /** Whether ids used in this scope belong to it (false for the server-wide scope). */
    boolean claims() {
        return claims;
    }

    boolean ended() {
        return ended;
    }

    synchronized void adopt(SignalingClient client) {
        if (ended) {
            client.close();
            throw new IllegalStateException("the test " + name + " has ended");
        }
        clients.add(client);
    }

    /** Arms no more faults and closes the injected clients, newest first. */
    void end() {
        List<SignalingClient> toClose;
        synchronized (this) {
            ended = true;
            toClose = new ArrayList<>(clients);
            clients.clear();
        }
        faults.close();
        for (int i = toClose.size() - 1; i >= 0; i--) {
            toClose.get(i).close();
        }
    }

    @Override
    public String toString() {
        return name;
    }
}
