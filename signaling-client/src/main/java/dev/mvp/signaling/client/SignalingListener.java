package dev.mvp.signaling.client;

/**
 * Hears what happens on a {@link SignalingClient}. Every method has an empty default, so implement only
 * what you need.
 *
 * <p>Methods are called on the client's reader thread (named {@code signaling-client-<id>-reader}), one
 * at a time and in the order the frames arrived; keep them short. They may call the client's
 * {@code send...} methods and {@link SignalingClient#close()}, but must not block on its
 * {@code await...} methods (the frame they wait for would be read by this very thread). An exception a
 * listener throws is logged and otherwise ignored.
 */
public interface SignalingListener {

    /**
     * The server confirmed the registration.
     *
     * @param reconnected false for the first registration, true after an automatic reconnect
     * @param id the registered id
     */
    default void onRegistered(String id, boolean reconnected) {}

    /**
     * Another peer sent this client a message (offer, answer, candidate, bye, or a configured extra type).
     *
     * @param message the message received
     */
    default void onMessage(SignalingMessage message) {}

    /**
     * The server refused one of this client's messages.
     *
     * @param error the server's error frame
     */
    default void onError(SignalingError error) {}

    /**
     * The registered connection ended without {@link SignalingClient#close()} being called.
     *
     * @param code the WebSocket close code (1006 when the connection dropped without a close frame)
     * @param reconnecting whether the client is about to reconnect by itself
     * @param reason the close reason, possibly empty
     */
    default void onDisconnected(int code, String reason, boolean reconnecting) {}

    /**
     * Automatic reconnection stopped for good: the attempts ran out or the server refused the id or token.
     *
     * @param cause why it stopped
     */
    default void onReconnectFailed(SignalingException cause) {}
}
