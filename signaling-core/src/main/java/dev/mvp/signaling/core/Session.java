package dev.mvp.signaling.core;

/**
 * The hub's side of one connection: the transport reports what happens on the connection here.
 * Obtained from {@link SignalingHub#open}.
 *
 * <p><b>Threading.</b> For one session, calls must not overlap and must come in the order the events
 * happened (a transport's per-connection thread or lock gives that). Different sessions may be driven
 * from different threads at the same time. Calls after {@link #onClose} are ignored.
 */
public interface Session {

    /**
     * A text frame (a whole message, however it was fragmented) arrived from the client.
     *
     * @param text the frame's text
     */
    void onText(String text);

    /**
     * A binary frame arrived. The protocol is text only, so the hub answers with
     * {@link ErrorCodes#BINARY_NOT_SUPPORTED}; the connection stays open. It counts against the
     * {@linkplain RateLimit rate limit} like every frame.
     *
     * @param length the frame's length in bytes
     */
    void onBinary(int length);

    /**
     * A control frame other than close arrived: a ping (which the transport answers itself) or a pong.
     * It carries no message, but it counts against the {@linkplain RateLimit rate limit} like every
     * frame, so a flood of pings or pongs is refused and closed like any other; and a client with more
     * than the allowed bytes waiting to be written to it (unread pongs included, as far as the
     * transport's {@link Connection#bufferedBytes()} counts them) is disconnected here as for a text.
     * Transports call it once per such frame.
     */
    void onControlFrame();

    /**
     * The connection ended, for whatever reason. The hub releases the id and tells the peers this
     * client had exchanged messages with. Idempotent.
     *
     * @param code the WebSocket close code ({@link CloseCodes#ABNORMAL} for a drop)
     * @param reason the close reason, possibly empty
     */
    void onClose(int code, String reason);

    /** {@return the id this session registered, or {@code null} before registration} */
    String peerId();
}
