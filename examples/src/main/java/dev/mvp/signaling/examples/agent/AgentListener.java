package dev.mvp.signaling.examples.agent;

/**
 * What an {@link Agent} reports. Every method has an empty default; implement the ones you need.
 *
 * <p>All calls come from the agent's single event thread, in the order things happened, so an
 * implementation needs no locking of its own. Do not block in them: the agent handles nothing else
 * meanwhile.
 */
public interface AgentListener {

    /** A human-readable progress note: registered, offering, ICE state changes and so on. */
    default void status(String text) {}

    /** The data channel with {@code peer} is open; {@link Agent#send} works from now on. */
    default void channelOpen(String peer, String label) {}

    /** A text message arrived on the data channel. */
    default void message(String peer, String text) {}

    /**
     * The session with {@code peer} ended.
     *
     * @param reason {@code "bye"} when the peer hung up, {@code "hangup"} when this agent did,
     *     otherwise what failed
     */
    default void channelClosed(String peer, String reason) {}

    /** The server answered with an {@code error} frame. */
    default void serverError(String code, String message) {}

    /** The signaling connection ended; the agent can do nothing more. */
    default void disconnected(int code, String reason) {}
}
