package dev.mvp.signaling.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mvp.signaling.bench.server.BareNettyRelay;
import dev.mvp.signaling.bench.server.BaselineRelay;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.java_websocket.client.WebSocketClient;
import org.java_websocket.handshake.ServerHandshake;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The bare relays the engines are measured against do what the figures assume: register, then forward as is. */
class BareRelaysTest {

    @ParameterizedTest
    @ValueSource(strings = {"baseline", "netty-baseline"})
    void answersRegisterAndForwardsAFrameUnchangedToTheIdAfterTo(String kind) throws Exception {
        AutoCloseable relay;
        int port;
        if (kind.equals("baseline")) {
            BaselineRelay r = new BaselineRelay(new InetSocketAddress("127.0.0.1", 0), 64);
            r.startAndWait();
            relay = () -> r.stop(1000);
            port = r.getPort();
        } else {
            BareNettyRelay r = new BareNettyRelay(new InetSocketAddress("127.0.0.1", 0), 64);
            relay = r;
            port = r.port();
        }
        try (relay) {
            exchange(port);
        }
    }

    private static void exchange(int port) throws Exception {
        Client alice = null;
        Client bob = null;
        try { // the clients close while the relay still runs
            alice = new Client(port, "alice");
            bob = new Client(port, "bob");
            alice.send("{\"type\":\"register\",\"id\":\"alice\"}");
            bob.send("{\"type\":\"register\",\"id\":\"bob\"}");
            assertThat(alice.next()).isEqualTo("{\"type\":\"registered\",\"id\":\"alice\"}");
            assertThat(bob.next()).isEqualTo("{\"type\":\"registered\",\"id\":\"bob\"}");
            String offer = "{\"type\":\"offer\",\"to\":\"bob\",\"from\":\"alice\",\"sdp\":\"v=0\\r\\n\u00e9\"}";
            alice.send(offer);
            assertThat(bob.next()).isEqualTo(offer);
        } finally {
            for (Client c : new Client[] {alice, bob}) {
                if (c != null) {
                    c.closeBlocking();
                }
            }
        }
    }

    private static final class Client extends WebSocketClient {
        private final BlockingQueue<String> received = new LinkedBlockingQueue<>();

        Client(int port, String id) throws InterruptedException {
            super(URI.create("ws://127.0.0.1:" + port + "/ws/" + id));
            if (!connectBlocking(10, TimeUnit.SECONDS)) {
                throw new IllegalStateException("could not connect");
            }
        }

        String next() throws InterruptedException {
            String m = received.poll(10, TimeUnit.SECONDS);
            assertThat(m).as("a frame within 10 s").isNotNull();
            return m;
        }

        @Override
        public void onOpen(ServerHandshake handshake) {}

        @Override
        public void onMessage(String message) {
            received.add(message);
        }

        @Override
        public void onClose(int code, String reason, boolean remote) {}

        @Override
        public void onError(Exception ex) {}
    }
}
