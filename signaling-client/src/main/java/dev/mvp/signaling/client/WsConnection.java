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

    /**
     * Starts the close handshake, or drops the socket when there is no handshake to close yet.
     *
     * <p>The close frame goes out as a plain frame, which leaves the library's state open until the
     * server's close frame comes back; the library then completes the handshake its usual way. Its own
     * {@code close()} marks the connection closing at once, and its read loop stops as soon as it sees
     * that: a {@code close()} that lands while the read thread is still handling a message (typically
     * right after one arrived) closed the socket before the close frame was written, so the server saw a
     * drop (1006) instead of a clean close, and kept the id of a client with a verified token for its
     * resume grace. The price: when the server's close frame arrives, the library answers it with a
     * second close frame, which servers in the closing state ignore.
     */
    void closeQuietly(int code, String reason) {
        if (isOpen()) {
            try {
                CloseFrame frame = new CloseFrame();
                frame.setCode(code);
                frame.setReason(reason);
                frame.isValid();
                sendFrame(frame);
                return;
            } catch (org.java_websocket.exceptions.InvalidDataException
                     | org.java_websocket.exceptions.WebsocketNotConnectedException e) {
                // closed meanwhile, or an unusable code: fall back to the library's close
            }
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
