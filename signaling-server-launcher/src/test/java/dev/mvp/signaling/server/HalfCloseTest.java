package dev.mvp.signaling.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import org.junit.jupiter.api.AfterEach;
import dev.mvp.signaling.core.HmacTokens;
import dev.mvp.signaling.core.HubConfig;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

/**
 * A client that half-closes its TCP connection (FIN, no close frame) has dropped: the server notices at
 * once, on every engine, however the FIN arrives (right behind the client's last frame or on its own).
 * Without a verified token its peers get {@code bye} at once; with one, its id is kept for the resume
 * grace like after any drop, and the {@code bye} follows the grace (the delay of about 10 s a hostile
 * client saw was that grace, on both engines).
 */
class HalfCloseTest {
    private SignalingServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    @RepeatedTest(10)
    void aClientThatSendsItsHandshakeItsMessagesAndItsFinAtOnceIsHeardToTheEnd() throws Exception {
        server = Servers.start();
        try (WsClient bob = WsClient.register(server, "bob");
             java.net.Socket s = Raw.open(server.port())) {
            java.io.ByteArrayOutputStream all = new java.io.ByteArrayOutputStream();
            all.writeBytes(Raw.upgrade("/ws/ghost").getBytes(StandardCharsets.ISO_8859_1));
            all.writeBytes(WireConformanceTest.frame(0x81,
                    "{\"type\":\"register\",\"id\":\"ghost\"}".getBytes(StandardCharsets.UTF_8), true));
            all.writeBytes(WireConformanceTest.frame(0x81,
                    "{\"type\":\"offer\",\"to\":\"bob\",\"sdp\":\"v=0\"}".getBytes(StandardCharsets.UTF_8), true));
            s.getOutputStream().write(all.toByteArray());
            s.shutdownOutput();
            JsonObject offer = bob.nextJson();
            assertThat(offer.get("type").getAsString()).isEqualTo("offer");
            assertThat(offer.get("from").getAsString()).isEqualTo("ghost");
            assertThat(bob.nextJson().get("type").getAsString()).isEqualTo("bye");
        }
    }

    @Test
    void aPeerWithAVerifiedTokenThatSendsFinIsKeptForTheResumeGraceThenItsPeersHearBye() throws Exception {
        HmacTokens tokens = HmacTokens.withSecret("a secret of at least thirty-two bytes".getBytes(StandardCharsets.UTF_8));
        Duration grace = Duration.ofMillis(1500);
        server = Servers.start(HubConfig.builder().authenticator(tokens.authenticator()).resumeGrace(grace).build());
        Instant expiry = Instant.now().plusSeconds(600);
        try (RawWs bob = RawWs.open(server.port(), "/ws/bob", 0);
             RawWs ghost = RawWs.open(server.port(), "/ws/ghost", 0)) {
            bob.sendText("{\"type\":\"register\",\"id\":\"bob\",\"token\":\"" + tokens.issue("bob", expiry) + "\"}");
            assertThat(bob.read().text()).contains("registered");
            ghost.sendText("{\"type\":\"register\",\"id\":\"ghost\",\"token\":\"" + tokens.issue("ghost", expiry) + "\"}");
            assertThat(ghost.read().text()).contains("registered");
            bob.sendText("{\"type\":\"offer\",\"to\":\"ghost\",\"sdp\":\"v=0\"}");
            assertThat(ghost.read().text()).contains("offer");
            ghost.socket.shutdownOutput();
            long start = System.nanoTime();
            Await.until("the drop is seen and the id kept", () -> server.hub().stats().suspendedPeers() == 1);
            RawWs.Frame bye = bob.read(); // RawWs waits 5 s, longer than the grace
            long ms = (System.nanoTime() - start) / 1_000_000;
            assertThat(bye.text()).contains("\"bye\"").contains("\"ghost\"");
            assertThat(ms).as("bye after the grace, not before").isGreaterThanOrEqualTo(grace.toMillis() - 100);
        }
    }

    @RepeatedTest(10)
    void aPeerThatSendsFinWithoutACloseFrameIsGoneAndItsPeersHearBye() throws Exception {
        server = Servers.start();
        try (WsClient bob = WsClient.register(server, "bob");
             RawWs ghost = RawWs.open(server.port(), "/ws/ghost", 0)) {
            ghost.sendText("{\"type\":\"register\",\"id\":\"ghost\"}");
            assertThat(ghost.read().text()).contains("registered");
            bob.send("{\"type\":\"offer\",\"to\":\"ghost\",\"sdp\":\"v=0\"}");
            assertThat(ghost.read().text()).contains("offer");
            // the last frame and the FIN together, as a client that sends and leaves does
            ghost.sendText("{\"type\":\"answer\",\"to\":\"bob\",\"sdp\":\"v=0\"}");
            ghost.socket.shutdownOutput();
            assertThat(bob.nextJson().get("type").getAsString()).isEqualTo("answer");
            long start = System.nanoTime();
            JsonObject bye = bob.nextJson(); // within WsClient's 5 s; the engine used to take about 10 s
            long ms = (System.nanoTime() - start) / 1_000_000;
            assertThat(bye.get("type").getAsString()).isEqualTo("bye");
            assertThat(bye.get("from").getAsString()).isEqualTo("ghost");
            assertThat(ms).as("bye within 2 s").isLessThan(2_000);
            assertThat(server.hub().isRegistered("ghost")).isFalse();
        }
    }
}
