package dev.mvp.signaling.examples.toy;

import dev.mvp.signaling.client.ReconnectPolicy;
import dev.mvp.signaling.client.SignalingClient;
import dev.mvp.signaling.client.SignalingListener;
import dev.mvp.signaling.client.SignalingMessage;
import dev.mvp.signaling.client.SignalingTimeoutException;
import java.net.URI;
import java.time.Duration;
import java.util.function.UnaryOperator;

/**
 * A toy agent, the kind of code an agent project tests against the server: it answers every offer it
 * receives, and when it calls a peer it sends the offer again if no answer comes in time. Its connection
 * comes back by itself when it drops. See {@code ToyAgentTest} for how such code is tested with
 * {@code SignalingServerExtension}.
 *
 * <p>There is no WebRTC here: the answer is whatever the {@code answerer} function makes of the offer.
 */
public final class ToyAgent implements AutoCloseable {
    private final SignalingClient client;

    private ToyAgent(SignalingClient client) {
        this.client = client;
    }

    /**
     * Connects as {@code id} and starts answering offers.
     *
     * @param answerer turns a received offer's SDP into the answer's SDP
     */
    public static ToyAgent start(URI url, String id, UnaryOperator<String> answerer) {
        SignalingClient[] self = new SignalingClient[1];
        SignalingClient client = SignalingClient.builder(url, id)
                .reconnect(ReconnectPolicy.exponentialBackoff(Duration.ofMillis(50), Duration.ofSeconds(2)))
                .listener(new SignalingListener() {
                    @Override
                    public void onMessage(SignalingMessage m) {
                        if (m.is("offer")) {
                            self[0].sendAnswer(m.from(), answerer.apply(m.sdp()));
                        }
                    }
                })
                .build();
        self[0] = client;
        return new ToyAgent(client.connect());
    }

    /**
     * Offers {@code sdp} to {@code peer} and waits for the answer, offering again up to {@code attempts}
     * times when none comes within {@code patience}.
     *
     * @return the answer's SDP
     * @throws SignalingTimeoutException if no attempt got an answer
     */
    public String call(String peer, String sdp, Duration patience, int attempts) {
        for (int attempt = 1; ; attempt++) {
            client.sendOffer(peer, sdp);
            try {
                return client.awaitMessage(m -> m.is("answer") && peer.equals(m.from()), patience).sdp();
            } catch (SignalingTimeoutException e) {
                if (attempt == attempts) {
                    throw e;
                }
            }
        }
    }

    /** The signaling client underneath, for tests that want to look. */
    public SignalingClient client() {
        return client;
    }

    @Override
    public void close() {
        client.close();
    }
}
