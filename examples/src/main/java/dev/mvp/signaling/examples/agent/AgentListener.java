package dev.mvp.signaling.examples.agent;

/**
 * What an {@link Agent} reports. Every method has an empty default; implement the ones you need.
 *
 * <p>All calls come from the agent's single event thread, in the order things happened, so an
 * implementation needs no locking of its own. Do not block in them: the agent handles nothing else
 * meanwhile.
 */
public interface AgentListener {

    /** The {@link #channelClosed} reason when the peer hung up. */
    String BYE = "bye";

    /** The {@link #channelClosed} reason when this agent hung up. */
    String HANGUP = "hangup";

    /**
     * The server confirmed the registration of {@code id}. Comes before anything the server delivers
     * after it, so it is the place to say that the agent is now reachable.
     */
    default void registered(String id) {}

    /** A human-readable progress note: registered, offering, ICE state changes and so on. */
    default void status(String text) {}

    /** The data channel with {@code peer} is open; {@link Agent#send} works from now on. */
    default void channelOpen(String peer, String label) {}

    /** A text message arrived on the data channel. */
    default void message(String peer, String text) {}

    /**
     * The session with {@code peer} ended.
     *
     * @param reason {@link #BYE} when the peer hung up (its {@code bye} arrived, or it closed the open data
     *     channel, whichever came first), {@link #HANGUP} when this agent did, otherwise
     *     what failed and what to check, in a sentence
     */
    default void channelClosed(String peer, String reason) {}

    /** The server answered with an {@code error} frame. */
    default void serverError(String code, String message) {}

    /** The server ended the signaling connection (not called for {@link Agent#close}); the agent can do nothing more. */
    default void disconnected(int code, String reason) {}
}
