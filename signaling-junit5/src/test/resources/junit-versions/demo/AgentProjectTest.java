package demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mvp.signaling.client.SignalingClient;
import dev.mvp.signaling.junit5.Client;
import dev.mvp.signaling.junit5.SignalingServerExtension;
import dev.mvp.signaling.junit5.SignalingServerInfo;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A user's test, compiled and run by JUnitVersionsTest against each supported JUnit version. */
class AgentProjectTest {
    static final Duration WAIT = Duration.ofSeconds(10);

    @RegisterExtension
    static SignalingServerExtension server = SignalingServerExtension.newInstance()
            .offlineHold(Duration.ofMillis(100))
            .failOnUnexpectedRejections(true)
            .build();

    @Test
    void bobGetsAlicesOffer(@Client("alice") SignalingClient alice, @Client("bob") SignalingClient bob) {
        alice.sendOffer("bob", "v=0");
        assertEquals("v=0", bob.awaitOffer(WAIT).sdp());
        server.recording().awaitRouted("alice", "offer", "bob", WAIT);
    }

    @Test
    void statusAnswers(SignalingServerInfo info) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(info.httpUri("/status")).timeout(WAIT).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode());
    }

    @Test
    void anAbsentPeerIsReportedQuickly(@Client("carol") SignalingClient carol) {
        carol.sendOffer("dave", "v=0");
        assertEquals("delivery-expired", carol.awaitError(WAIT).code());
        assertTrue(server.recording().awaitRejected("carol", "delivery-expired", WAIT).to().equals("dave"));
    }
}
