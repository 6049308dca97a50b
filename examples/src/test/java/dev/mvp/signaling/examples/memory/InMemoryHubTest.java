package dev.mvp.signaling.examples.memory;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mvp.signaling.core.SignalingHub;
import dev.mvp.signaling.core.memory.InMemoryClient;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The hub with no network at all: the README's in-memory example, run. */
class InMemoryHubTest {

    @Test
    void anOfferCrossesTheHubWithNoSockets() {
        // snippet:in-memory
        try (SignalingHub hub = new SignalingHub();
             InMemoryClient alice = InMemoryClient.connect(hub, "alice");
             InMemoryClient bob = InMemoryClient.connect(hub, "bob")) {
            alice.register();
            bob.register();
            alice.send("{\"type\":\"offer\",\"to\":\"bob\",\"sdp\":\"v=0\\r\\n\"}");
            String offer = bob.take(Duration.ofSeconds(1)); // {"from":"alice","type":"offer",...}
            // end:in-memory
            assertThat(offer).isEqualTo("{\"from\":\"alice\",\"type\":\"offer\",\"to\":\"bob\",\"sdp\":\"v=0\\r\\n\"}");
        }
    }
}
