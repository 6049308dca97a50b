package dev.mvp.signaling.examples.embed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mvp.signaling.client.SignalingClient;
import dev.mvp.signaling.client.SignalingException;
import dev.mvp.signaling.examples.ChromiumFrames;
import dev.mvp.signaling.server.SignalingServer;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class EmbeddedServerTest {
    private static final Duration WAIT = Duration.ofSeconds(5);

    @Test
    void embeddedServerLetsTheKnownPeersTalk() {
        try (SignalingServer server = EmbeddedServer.start(0);
             SignalingClient alice = SignalingClient.builder(server.webSocketUri("alice"), "alice")
                     .token("alice-token").build().connect();
             SignalingClient bob = SignalingClient.builder(server.webSocketUri("bob"), "bob")
                     .token("bob-token").build().connect()) {
            alice.sendOffer("bob", ChromiumFrames.offerSdp());
            assertThat(bob.awaitOffer(WAIT).sdp()).isEqualTo(ChromiumFrames.offerSdp());
        }
    }

    @Test
    void embeddedServerKeepsStrangersOut() {
        try (SignalingServer server = EmbeddedServer.start(0)) {
            assertThatThrownBy(() -> SignalingClient.builder(server.webSocketUri("mallory"), "mallory")
                    .token("guess").build().connect())
                    .isInstanceOfSatisfying(SignalingException.class,
                            e -> assertThat(e.code()).isEqualTo("token-invalid"));
        }
    }
}
