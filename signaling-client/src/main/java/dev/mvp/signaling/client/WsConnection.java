package dev.mvp.signaling.client;

import java.net.URI;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.java_websocket.client.WebSocketClient;
import org.java_websocket.drafts.Draft_6455;
import org.java_websocket.framing.CloseFrame;
import org.java_websocket.handshake.ServerHandshake;

/**
 * One WebSocket connection of a {@link SignalingClient}: registers as soon as it opens and hands every
 * frame to its owner. Kept package-private so no Java-WebSocket type reaches the public API.
 *
 * <p>It runs on a thread the owner starts in its own thread group; the library's writer and ping threads
 * are started from that thread, so they land in the same group and the owner can wait for all of them.
 */
final class WsConnection extends WebSocketClient {
    private final SignalingClient owner;
    private final String registerFrame;
    /** Completes when the server confirms the registration; fails with the server's refusal or the close. */
    final CompletableFuture<Void> registration = new CompletableFuture<>();
    private volatile boolean registered;
    private volatile Exception transportError;

    WsConnection(SignalingClient owner, URI url, Map<String, String> headers, int connectTimeoutMillis,
                 int pingIntervalSeconds, String registerFrame) {
        super(url, new Draft_6455(), headers, connectTimeoutMillis);
        this.owner = owner;
        this.registerFrame = registerFrame;
        setDaemon(true);
        setConnectionLostTimeout(pingIntervalSeconds);
    }

    void start(ThreadGroup group, String name) {
        Thread reader = new Thread(group, this, name);
        reader.setDaemon(true);
        reader.start();
    }

    boolean isRegistered() {
        return registered;
    }

    /** Starts the close handshake, or drops the socket when there is no handshake to close yet. */
    void closeQuietly(int code, String reason) {
        if (isOpen()) {
            close(code, reason);
        } else {
            closeConnection(CloseFrame.ABNORMAL_CLOSE, reason);
        }
    }

    /** Drops the connection without waiting for the server. */
    void abort(String reason) {
        closeConnection(CloseFrame.ABNORMAL_CLOSE, reason);
        try {
            if (getSocket() != null) {
                getSocket().close();
            }
        } catch (java.io.IOException ignored) {
            // closing is all we wanted
        }
    }

    @Override
    public void onOpen(ServerHandshake handshake) {
        try {
            send(registerFrame);
        } catch (RuntimeException e) { // closed meanwhile
            registration.completeExceptionally(new SignalingException("the connection closed before registering", e));
        }
    }

    @Override
    public void onMessage(String text) {
        SignalingMessage m;
        try {
            m = SignalingMessage.parse(text);
        } catch (IllegalArgumentException e) {
            owner.unreadable(text, e.getMessage());
            return;
        }
        switch (m.type()) {
            case "registered" -> {
                if (!registered) {
                    registered = true;
                    owner.onRegistered(this);
                    registration.complete(null);
                }
            }
            case "pong" -> owner.onPong(m);
            case "error" -> {
                if (registered) {
                    owner.onReceived(this, m);
                } else {
                    SignalingError error = m.asError();
                    registration.completeExceptionally(new SignalingException(
                            "the server refused the registration: " + error, error));
                }
            }
            default -> owner.onReceived(this, m);
        }
    }

    @Override
    public void onMessage(ByteBuffer bytes) {
        owner.unreadable("<" + bytes.remaining() + " bytes>", "a binary frame; the protocol is text only");
    }

    @Override
    public void onClose(int code, String reason, boolean remote) {
        if (!registration.isDone()) {
            registration.completeExceptionally(new SignalingException("the connection to " + getURI()
                    + " closed before the registration was confirmed (code " + code
                    + (reason == null || reason.isEmpty() ? "" : ", " + reason) + ")", transportError));
        }
        owner.onClosed(this, code, reason == null ? "" : reason);
    }

    @Override
    public void onError(Exception ex) {
        transportError = ex;
    }
}
