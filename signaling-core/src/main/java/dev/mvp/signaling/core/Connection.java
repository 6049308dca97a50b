package dev.mvp.signaling.core;

/**
 * One client connection, as a transport offers it to the hub. Transports implement this; the hub
 * calls it. It is the only way the hub talks back to a client.
 *
 * <p><b>Threading.</b> The hub may call {@link #send} and {@link #close} from any thread, including
 * concurrently for the same connection, and never while holding a lock of its own. Implementations
 * must be thread-safe, must keep the order of frames sent from one thread, and must not call back
 * into the hub synchronously from {@code send}. {@code close} may report the close back to the hub
 * synchronously or later.
 */
public interface Connection {

    /** {@return what the client presented when it connected} */
    Handshake handshake();

    /**
     * Queues one text frame for the client. Sending on a closed connection does nothing.
     *
     * @param text the frame; never null
     */
    void send(String text);

    /**
     * Starts closing the connection with a WebSocket close code and reason. Idempotent. The
     * transport must eventually report the close to the hub through {@link Session#onClose}.
     * {@link CloseCodes#ABNORMAL} (1006), which no close frame may carry, means drop the connection
     * without a close frame, as a lost network would.
     *
     * @param code the close code
     * @param reason the close reason, of any length (see {@link CloseCodes#fitReason})
     */
    void close(int code, String reason);

    /**
     * {@return bytes handed to {@link #send} but not yet written to the network} The hub uses it to bound
     * what a slow reader can make the server hold; transports that cannot tell return 0.
     */
    long bufferedBytes();
}
