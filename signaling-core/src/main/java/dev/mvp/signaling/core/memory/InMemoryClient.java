package dev.mvp.signaling.core.memory;

import dev.mvp.signaling.core.CloseCodes;
import dev.mvp.signaling.core.Connection;
import dev.mvp.signaling.core.Handshake;
import dev.mvp.signaling.core.Session;
import dev.mvp.signaling.core.SignalingHub;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A client connected to a {@link SignalingHub} with no sockets: the in-memory transport. It sends
 * frames to the hub on the caller's thread and collects the frames the hub sends back, for a test to
 * take with a timeout.
 *
 * <pre>{@code
 * try (SignalingHub hub = new SignalingHub();
 *      InMemoryClient alice = InMemoryClient.connect(hub, "alice");
 *      InMemoryClient bob = InMemoryClient.connect(hub, "bob")) {
 *     alice.register();
 *     bob.register();
 *     alice.send("{\"type\":\"offer\",\"to\":\"bob\",\"sdp\":\"v=0...\"}");
 *     String offer = bob.take(Duration.ofSeconds(1)); // {"from":"alice","type":"offer",...}
 * }
 * }</pre>
 *
 * <p>Thread-safe: any thread may send; the client serialises its calls into the hub as a real
 * transport does for one connection.
 */
public final class InMemoryClient implements AutoCloseable {
    /** How long {@link #register()} waits for the confirmation. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);

    private final String id;
    private final BlockingQueue<String> received = new LinkedBlockingQueue<>();
    private final AtomicLong unreadChars = new AtomicLong();
    private final CountDownLatch closedLatch = new CountDownLatch(1);
    private final Object events = new Object();
    /** Guards the change of {@link #closeStatus}; never held while calling the hub. */
    private final Object closing = new Object();
    private final LocalConnection connection;
    private final Session session;
    private volatile CloseStatus closeStatus;

    private InMemoryClient(SignalingHub hub, String id, Handshake handshake) {
        this.id = id;
        this.connection = new LocalConnection(handshake);
        synchronized (events) {
            this.session = hub.open(connection, id);
        }
    }

    /**
     * Connects as if to {@code /ws/{id}}; the client still has to {@link #register()}.
     *
     * @param hub the hub to connect to
     * @param id the id in the connection's path
     * @return the connected client
     */
    public static InMemoryClient connect(SignalingHub hub, String id) {
        return new InMemoryClient(hub, id, new Handshake("/ws/" + id, "", java.util.Map.of(), null));
    }

    /**
     * Connects with a handshake of your choosing, e.g. to give an authenticator headers to read.
     *
     * @param hub the hub to connect to
     * @param id the id in the connection's path
     * @param handshake what the client presents
     * @return the connected client
     */
    public static InMemoryClient connect(SignalingHub hub, String id, Handshake handshake) {
        return new InMemoryClient(hub, id, handshake);
    }

    /** {@return the id this client connected with} */
    public String id() {
        return id;
    }

    /**
     * Sends {@code {"type":"register","id":...}} and waits for the {@code registered} confirmation.
     *
     * @return the confirmation frame
     * @throws AssertionError if the hub answered anything else or nothing within {@link #DEFAULT_TIMEOUT}
     */
    public String register() {
        return register(null);
    }

    /**
     * Like {@link #register()}, with a token.
     *
     * @param token the token sent with {@code register}
     * @return the frame the hub answered with
     */
    public String register(String token) {
        String tokenField = token == null ? "" : ",\"token\":" + quote(token);
        send("{\"type\":\"register\",\"id\":\"" + id + "\"" + tokenField + "}");
        String reply = take(DEFAULT_TIMEOUT);
        if (!reply.contains("\"type\":\"registered\"")) {
            throw new AssertionError(id + " was not registered; the hub answered " + reply);
        }
        return reply;
    }

    /**
     * Sends one text frame to the hub, on this thread. Does nothing once the connection is closed.
     *
     * @param frame the frame's text
     */
    public void send(String frame) {
        synchronized (events) {
            if (closeStatus == null) {
                session.onText(frame);
            }
        }
    }

    /**
     * Sends a binary frame of {@code length} bytes, which the protocol does not allow.
     *
     * @param length the frame's length in bytes
     */
    public void sendBinary(int length) {
        synchronized (events) {
            if (closeStatus == null) {
                session.onBinary(length);
            }
        }
    }

    /** Sends a control frame, as a transport reports a WebSocket ping or pong. */
    public void sendControlFrame() {
        synchronized (events) {
            if (closeStatus == null) {
                session.onControlFrame();
            }
        }
    }

    /**
     * {@return the next frame the hub sent, waiting up to {@code timeout}; {@code null} if none came}
     *
     * @param timeout how long to wait at most
     */
    public String poll(Duration timeout) {
        try {
            String frame = received.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
            if (frame != null) {
                unreadChars.addAndGet(-frame.length());
            }
            return frame;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /**
     * The next frame the hub sent, waiting up to {@code timeout}.
     *
     * @param timeout how long to wait at most
     * @return the frame
     * @throws AssertionError if none came in time
     */
    public String take(Duration timeout) {
        String frame = poll(timeout);
        if (frame == null) {
            throw new AssertionError(id + " received no frame within " + timeout.toMillis() + " ms");
        }
        return frame;
    }

    /** {@return the frames received and not yet taken, without waiting} */
    public List<String> drain() {
        List<String> frames = new ArrayList<>();
        received.drainTo(frames);
        frames.forEach(f -> unreadChars.addAndGet(-f.length()));
        return frames;
    }

    /**
     * {@return characters the hub sent that this client has not taken yet: what it reports to the hub as
     * {@link Connection#bufferedBytes()}, so a test can play a client that does not read}
     */
    public long bufferedChars() {
        return unreadChars.get();
    }

    /** {@return whether the connection is still open} */
    public boolean isOpen() {
        return closeStatus == null;
    }

    /**
     * Waits until the connection closes, by either side.
     *
     * @param timeout how long to wait at most
     * @return how it closed
     * @throws AssertionError if it is still open after {@code timeout}
     */
    public CloseStatus awaitClose(Duration timeout) {
        try {
            if (!closedLatch.await(timeout.toNanos(), TimeUnit.NANOSECONDS)) {
                throw new AssertionError(id + " was not closed within " + timeout.toMillis() + " ms");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
        return closeStatus;
    }

    /** {@return how the connection closed, or {@code null} while open} */
    public CloseStatus closeStatus() {
        return closeStatus;
    }

    /** Drops the connection without a close handshake, as a lost network would (code 1006). */
    public void drop() {
        closeFromClient(CloseCodes.ABNORMAL, "");
    }

    /** Closes the connection normally (code 1000). Idempotent. */
    @Override
    public void close() {
        closeFromClient(CloseCodes.NORMAL, "");
    }

    private void closeFromClient(int code, String reason) {
        synchronized (events) {
            if (markClosed(new CloseStatus(code, reason, false))) {
                session.onClose(code, reason);
            }
        }
    }

    private boolean markClosed(CloseStatus status) {
        synchronized (closing) {
            if (closeStatus != null) {
                return false;
            }
            closeStatus = status;
        }
        closedLatch.countDown();
        return true;
    }

    @Override
    public String toString() {
        return "InMemoryClient[" + id + (closeStatus == null ? ", open" : ", " + closeStatus) + "]";
    }

    private static String quote(String s) {
        return new com.google.gson.JsonPrimitive(s).toString();
    }

    /**
     * How a connection ended.
     *
     * @param code the WebSocket close code
     * @param reason the close reason
     * @param byServer whether the hub closed it
     */
    public record CloseStatus(int code, String reason, boolean byServer) {}

    /** The transport side that the hub sees. */
    private final class LocalConnection implements Connection {
        private final Handshake handshake;

        LocalConnection(Handshake handshake) {
            this.handshake = handshake;
        }

        @Override
        public Handshake handshake() {
            return handshake;
        }

        @Override
        public void send(String text) {
            if (closeStatus == null) {
                unreadChars.addAndGet(text.length());
                received.add(text);
            }
        }

        @Override
        public void close(int code, String reason) {
            // Not under the events lock: the hub closes a connection from any thread, including another
            // client's thread that holds that client's lock, and two such closes in opposite directions
            // would deadlock. The hub has ended the session before it closes the connection, so this
            // report overlapping one of the client's own calls changes nothing.
            if (markClosed(new CloseStatus(code, reason, true)) && session != null) {
                session.onClose(code, reason); // session is null while hub.open() refuses the connection
            }
        }

        @Override
        public long bufferedBytes() {
            return unreadChars.get();
        }
    }
}
