package dev.mvp.signaling.core;

/** What happens when a connection registers an id that a live connection already holds. */
public enum DuplicateIdPolicy {
    /** The newcomer is refused with {@link ErrorCodes#ID_TAKEN}; the holder keeps the id. The default. */
    REJECT,
    /**
     * The newcomer takes the id over, and the holder is closed with {@link CloseCodes#REPLACED}, only
     * when both presented the same token and the authenticator {@linkplain AuthResult#verified()
     * verified} it. Without a verified token nobody can take a live id: the newcomer gets
     * {@link ErrorCodes#ID_TAKEN}. Peers are not sent a {@code bye}: the client is the same one,
     * reconnected, and its conversations carry over to the new connection.
     */
    REPLACE_WITH_VERIFIED_TOKEN
}
