package dev.mvp.signaling.bench.client;

import java.nio.ByteBuffer;

/** What a scenario does with a client connection's events; every call runs on the connection's loop thread. */
public interface ClientHandler {

    /** The upgrade was answered with 101; the connection may send. */
    default void onOpen(ClientConn c) {}

    /**
     * A text frame arrived.
     *
     * @param payload the frame's payload, valid only during the call (use {@link ClientConn#text} to keep it)
     */
    void onText(ClientConn c, ByteBuffer payload);

    /** The connection ended: closed by either side, refused, or failed; {@code code} is 1006 for a drop. */
    default void onClose(ClientConn c, int code) {}
}
