package dev.mvp.signaling.examples.agent;

import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.java_websocket.client.WebSocketClient;
import org.java_websocket.handshake.ServerHandshake;

/**
 * The agent's WebSocket connection to the signaling server: sends JSON frames, hands every received
 * frame to a callback. Keeps the WebSocket library's types to itself.
 */
final class SignalingClient implements AutoCloseable {

    /** Receives what the server sends. Called on the WebSocket library's reader thread. */
    interface Events {
        void frame(JsonObject frame);

        void closed(int code, String reason);
    }

    private final URI url;
    private final Events events;
    private final Socket socket;
    private final CountDownLatch closed = new CountDownLatch(1);

    SignalingClient(URI url, Events events) {
        this.url = url;
        this.events = events;
        this.socket = new Socket(url);
    }

    /**
     * Opens the connection.
     *
     * @throws SignalingException when the server cannot be reached within {@code timeout}
     */
    void connect(Duration timeout) throws InterruptedException {
        if (!socket.connectBlocking(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            socket.close();
            throw new SignalingException("could not open a WebSocket to " + url + " within " + timeout.toMillis() + " ms");
        }
    }

    /** Sends one frame; does nothing once the connection is closed. */
    void send(JsonObject frame) {
        if (socket.isOpen()) {
            socket.send(frame.toString());
        }
    }

    boolean isOpen() {
        return socket.isOpen();
    }

    /** Closes the connection and waits (at most two seconds) for the library's threads to finish. */
    @Override
    public void close() {
        socket.close(1000, "agent closing");
        try {
            if (!closed.await(2, TimeUnit.SECONDS)) {
                socket.closeConnection(1006, "close handshake timed out");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private final class Socket extends WebSocketClient {
        Socket(URI url) {
            super(url);
            setConnectionLostTimeout(30);
        }

        @Override
        public void onOpen(ServerHandshake handshake) {}

        @Override
        public void onMessage(String text) {
            JsonObject frame;
            try {
                frame = JsonParser.parseString(text).getAsJsonObject();
            } catch (JsonParseException | IllegalStateException e) {
                frame = new JsonObject();
                frame.addProperty("type", "error");
                frame.addProperty("code", "agent-unreadable-frame");
                frame.addProperty("message", "the server sent a frame that is not a JSON object: " + text);
            }
            events.frame(frame);
        }

        @Override
        public void onClose(int code, String reason, boolean remote) {
            closed.countDown();
            events.closed(code, reason);
        }

        @Override
        public void onError(Exception e) {
            // onClose follows every error that ends the connection; nothing else to do here.
        }
    }
}
