package dev.mvp.signaling.junit5;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mvp.signaling.client.SignalingClient;
import dev.mvp.signaling.core.DuplicateIdPolicy;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** An instance field: a fresh server for each test. */
class PerTestServerTest {
    private static final Set<Integer> PORTS = new HashSet<>();

    @RegisterExtension
    final SignalingServerExtension server = SignalingServerExtension.newInstance()
            .duplicateIdPolicy(DuplicateIdPolicy.REPLACE_WITH_VERIFIED_TOKEN)
            .build();

    @AfterAll
    static void eachTestHadItsOwnServer() {
        assertThat(PORTS).hasSize(2);
    }

    @Test
    void firstTestStartsEmpty() {
        assertThat(server.hub().peerIds()).isEmpty();
        try (SignalingClient alice = SignalingClient.connect(server.url("alice"), "alice")) {
            assertThat(server.hub().peerIds()).containsExactly("alice");
        }
        PORTS.add(server.port());
        assertThat(server.hub().config().duplicateIdPolicy()).isEqualTo(DuplicateIdPolicy.REPLACE_WITH_VERIFIED_TOKEN);
    }

    @Test
    void secondTestStartsEmptyToo() {
        assertThat(server.hub().peerIds()).isEmpty();
        assertThat(server.recording().peerEvents()).isEmpty();
        PORTS.add(server.port());
    }
}
