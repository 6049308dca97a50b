package dev.mvp.signaling.core;

/**
 * Observes what the hub does, for logs, metrics and test recordings. Every method has an empty default,
 * so implement only what you need.
 *
 * <p>Methods are called synchronously on the thread that caused the event (a transport thread, or the
 * scheduler's), without any hub lock held; keep them short and non-blocking. An exception thrown by a
 * listener is logged and otherwise ignored: it never changes what the hub does. Tokens are never passed
 * to a listener.
 */
public interface HubListener {

    /**
     * A connection was opened; {@code claimedId} is the id from its path, or {@code null}.
     *
     * @param claimedId the id in the connection's path, or {@code null}
     * @param handshake what the client presented
     */
    default void connected(String claimedId, Handshake handshake) {}

    /**
     * A peer registered (or came back on a newer connection). Called just before its confirmation is
     * sent, so a client that has received {@code registered} can rely on the listener having been told.
     *
     * @param id the peer's id
     */
    default void registered(String id) {}

    /**
     * A peer registered, and how long after its connection was opened: what the hub calls, for metrics of
     * registration latency. The default forwards to {@link #registered(String)}, so a listener implements
     * one or the other.
     *
     * @param id the peer's id
     * @param sinceOpened the time from the connection's opening (the end of its handshake) to its registration
     */
    default void registered(String id, java.time.Duration sinceOpened) {
        registered(id);
    }

    /**
     * A message is being handed to its recipient: called just before the frame goes to the recipient's
     * transport, so whoever sees the frame arrive can rely on the listener having seen it (for peers of
     * this hub; a peer reached through a shared directory may see it first).
     *
     * @param message the message and its route
     */
    default void routed(Envelope message) {}

    /**
     * A message was refused and the sender told why.
     *
     * @param rejection what was refused, from whom and why
     */
    default void rejected(Rejection rejection) {}

    /**
     * A registered peer left: its connection closed, or it was disconnected by the server.
     *
     * @param code the WebSocket close code
     * @param reason the close reason, possibly empty
     * @param id the peer's id
     */
    default void left(String id, int code, String reason) {}

    /** {@return a listener that does nothing} */
    static HubListener none() {
        return new HubListener() {};
    }

    /**
     * {@return a listener that forwards every event to each of {@code listeners}, in order}
     *
     * @param listeners the listeners, called in this order
     */
    static HubListener all(HubListener... listeners) {
        HubListener[] copy = listeners.clone();
        return new HubListener() {
            @Override
            public void connected(String claimedId, Handshake handshake) {
                for (HubListener l : copy) l.connected(claimedId, handshake);
            }

            @Override
            public void registered(String id) {
                for (HubListener l : copy) l.registered(id);
            }

            @Override
            public void registered(String id, java.time.Duration sinceOpened) {
                for (HubListener l : copy) l.registered(id, sinceOpened);
            }

            @Override
            public void routed(Envelope message) {
                for (HubListener l : copy) l.routed(message);
            }

            @Override
            public void rejected(Rejection rejection) {
                for (HubListener l : copy) l.rejected(rejection);
            }

            @Override
            public void left(String id, int code, String reason) {
                for (HubListener l : copy) l.left(id, code, reason);
            }
        };
    }
}
