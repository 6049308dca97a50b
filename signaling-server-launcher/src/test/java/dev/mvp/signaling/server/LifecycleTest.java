package dev.mvp.signaling.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.mvp.signaling.core.SignalingHub;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** start(), close() and what they leave behind. */
class LifecycleTest {

    @Test
    void gettersBeforeStartSaySo() {
        SignalingServer server = new SignalingServer(Servers.loopback().build());
        assertThatThrownBy(server::port).isInstanceOf(IllegalStateException.class).hasMessage("call start() first");
        assertThatThrownBy(server::address).isInstanceOf(IllegalStateException.class).hasMessage("call start() first");
        assertThat(server.toString()).contains("new").contains("127.0.0.1:0");
        server.close();
        assertThatThrownBy(server::start).isInstanceOf(IllegalStateException.class).hasMessageContaining("create a new");
    }

    @Test
    void startReturnsTheRealPortAndStartingTwiceIsRefused() throws Exception {
        try (SignalingServer server = Servers.start()) {
            assertThat(server.port()).isPositive();
            assertThat(server.address().getPort()).isEqualTo(server.port());
            assertThat(server.toString()).contains("running").contains(":" + server.port());
            try (Socket s = Raw.open(server.port())) {
                assertThat(s.isConnected()).isTrue();
            }
            assertThatThrownBy(server::start).isInstanceOf(IllegalStateException.class).hasMessageContaining("already");
        }
    }

    @Test
    void aPortInUseFailsStartWithHostAndPortInTheMessage() {
        try (SignalingServer first = Servers.start()) {
            SignalingServer second = new SignalingServer(Servers.loopback().port(first.port()).build());
            assertThatThrownBy(second::start).isInstanceOf(ServerStartException.class)
                    .hasMessageStartingWith("cannot listen on 127.0.0.1:" + first.port() + ": ")
                    .satisfies(e -> assertThat(((ServerStartException) e).port()).isEqualTo(first.port()));
            second.close();
        }
    }

    @Test
    void anAddressThatIsNotLocalFailsStartClearly() {
        SignalingServer server = new SignalingServer(Servers.loopback().host("no-such-host.invalid").build());
        assertThatThrownBy(server::start).isInstanceOf(ServerStartException.class)
                .hasMessageContaining("no-such-host.invalid:0");
    }

    @Test
    void twoServersRunSideBySide() throws Exception {
        try (SignalingServer a = Servers.start(); SignalingServer b = Servers.start();
             WsClient onA = WsClient.register(a, "alice"); WsClient onB = WsClient.register(b, "alice")) {
            assertThat(a.port()).isNotEqualTo(b.port());
            assertThat(a.hub().isRegistered("alice")).isTrue();
            assertThat(b.hub().isRegistered("alice")).isTrue();
        }
    }

    @Test
    void closeSendsGoingAwayToEveryClientAndIsIdempotent() throws Exception {
        SignalingServer server = Servers.start();
        try (WsClient alice = WsClient.register(server, "alice"); WsClient anon = WsClient.connect(server.webSocketUri("x"))) {
            long start = System.nanoTime();
            server.close();
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start))
                    .isLessThan(server.config().shutdownTimeout().toMillis() + 1500);
            assertThat(alice.awaitClose()).isEqualTo("1001 server shutting down");
            assertThat(anon.awaitClose()).startsWith("1001");
            server.close();
            assertThat(server.toString()).contains("closed");
        }
    }

    @Test
    void closeIsBoundedWhenClientsIgnoreTheCloseHandshake() throws Exception {
        SignalingServer server = new SignalingServer(Servers.loopback().shutdownTimeout(Duration.ofMillis(300)).build()).start();
        try (Socket raw = Raw.open(server.port())) {
            Raw.write(raw, Raw.upgrade("/ws/deaf"));
            assertThat(HostileClientsTest.readHead(raw.getInputStream())).startsWith("HTTP/1.1 101");
            // the 101 is written before the library reports the open; only then is there a session to notify
            Await.until("the connection is open", () -> server.hub().stats().connections() == 1);
            long start = System.nanoTime();
            server.close(); // the raw client never answers the close frame
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isLessThan(300 + 1500);
            byte[] rest = raw.getInputStream().readAllBytes(); // the shutdown notice, the close frame, then EOF
            assertThat(rest[0] & 0x0f).as("text opcode").isEqualTo(1);
            int len = rest[1] & 0x7f;
            int close = len < 126 ? 2 + len : 4 + (((rest[2] & 0xff) << 8) | (rest[3] & 0xff));
            assertThat(rest.length).isGreaterThanOrEqualTo(close + 4);
            assertThat(rest[close] & 0x0f).as("close opcode").isEqualTo(8);
            assertThat(((rest[close + 2] & 0xff) << 8) | (rest[close + 3] & 0xff)).isEqualTo(1001);
        }
    }

    @Test
    void aGivenHubIsServedAndNotClosed() throws Exception {
        try (SignalingHub hub = new SignalingHub()) {
            SignalingServer server = new SignalingServer(Servers.loopback().hub(hub).build()).start();
            try (WsClient alice = WsClient.register(server, "alice")) {
                assertThat(hub.isRegistered("alice")).isTrue();
                server.close();
                assertThat(alice.awaitClose()).startsWith("1001");
            }
            assertThat(hub.toString()).contains("open");
            Await.until("the hub saw the close", () -> hub.stats().connections() == 0);
        }
    }

    @Test
    void noThreadOutlivesClose() throws Exception {
        Set<String> before = threadNames();
        SignalingServer server = Servers.start();
        try (Socket ws = Raw.open(server.port()); Socket http = Raw.open(server.port()); Socket stalled = Raw.open(server.port())) {
            Raw.write(ws, Raw.upgrade("/ws/alice"));
            assertThat(HostileClientsTest.readHead(ws.getInputStream())).startsWith("HTTP/1.1 101");
            ws.getOutputStream().write(HostileClientsTest.maskedText("{\"type\":\"register\",\"id\":\"alice\"}"));
            assertThat(HostileClientsTest.readTextFrame(ws.getInputStream())).contains("registered");
            Raw.write(http, "GET /status HTTP/1.1\r\nHost: x\r\n\r\n");
            assertThat(Raw.readToEnd(http)).contains("200 OK");
            Raw.write(stalled, "GET / HTT");
            assertThat(threadNames()).anyMatch(n -> n.startsWith(Servers.javaWebSocket() ? "signaling-ws-" : "signaling-netty-")).anyMatch(n -> n.startsWith("signaling-hub-timer"));
            server.close();
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        Set<String> leaked = leaked(before);
        while (!leaked.isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(20); // polling a condition with a deadline
            leaked = leaked(before);
        }
        assertThat(leaked).as("threads started by the server and still alive").isEmpty();
    }

    private static Set<String> leaked(Set<String> before) {
        Set<String> now = threadNames();
        now.removeAll(before);
        return now;
    }

    private static Set<String> threadNames() {
        Set<String> names = new TreeSet<>();
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.isAlive()) {
                names.add(t.getName());
            }
        }
        return names;
    }

    @Test
    void theAcceptBacklogIsRaisedAboveTheLibraryDefaultOf50() throws Exception {
        assumeTrue(HttpEndpointsTest.onPath("ss"), "the ss tool (iproute2) is not installed; cannot read the backlog");
        try (SignalingServer server = new SignalingServer(Servers.loopback().acceptBacklog(500).build()).start()) {
            Process p = new ProcessBuilder("ss", "-Hltn", "sport = :" + server.port()).redirectErrorStream(true).start();
            assertThat(p.waitFor(5, TimeUnit.SECONDS)).isTrue();
            String line = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            // State Recv-Q Send-Q Local Peer; for a listening socket Send-Q is the backlog
            String[] cols = line.split("\\s+");
            assumeTrue(cols.length >= 4, "unexpected ss output: " + line);
            // the kernel may cap it (net.core.somaxconn), but not back down to the library's 50
            assertThat(Integer.parseInt(cols[2])).isGreaterThan(50).isLessThanOrEqualTo(500);
        }
    }

    @Test
    void aBurstOfConnectionsIsAcceptedWithoutStalling() throws Exception {
        try (SignalingServer server = Servers.start()) {
            java.util.List<java.nio.channels.SocketChannel> channels = new java.util.ArrayList<>();
            try {
                long start = System.nanoTime();
                for (int i = 0; i < 200; i++) {
                    java.nio.channels.SocketChannel c = java.nio.channels.SocketChannel.open();
                    channels.add(c);
                    c.configureBlocking(false);
                    c.connect(new java.net.InetSocketAddress("127.0.0.1", server.port()));
                }
                java.nio.channels.Selector sel = java.nio.channels.Selector.open();
                for (java.nio.channels.SocketChannel c : channels) {
                    c.register(sel, java.nio.channels.SelectionKey.OP_CONNECT);
                }
                int connected = 0;
                while (connected < channels.size() && TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start) < 5000) {
                    sel.select(100);
                    for (java.nio.channels.SelectionKey k : sel.selectedKeys()) {
                        if (((java.nio.channels.SocketChannel) k.channel()).finishConnect()) {
                            connected++;
                            k.cancel();
                        }
                    }
                    sel.selectedKeys().clear();
                }
                sel.close();
                assertThat(connected).isEqualTo(200);
                // a SYN dropped by a full backlog is retried after a second; a burst must not see that
                assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isLessThan(900);
            } finally {
                for (java.nio.channels.SocketChannel c : channels) {
                    c.close();
                }
            }
        }
    }
}
