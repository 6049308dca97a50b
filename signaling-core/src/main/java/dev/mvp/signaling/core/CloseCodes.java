package dev.mvp.signaling.core;

/** WebSocket close codes the hub uses when it ends a connection. */
public final class CloseCodes {
    /** The client or the server ended the session normally. */
    public static final int NORMAL = 1000;
    /** The server is shutting down (or the connection is being moved elsewhere). */
    public static final int GOING_AWAY = 1001;
    /** The connection ended without a close frame (transport-level drop). */
    public static final int ABNORMAL = 1006;
    /** The client broke a policy: failed authentication, no registration in time, abuse. */
    public static final int POLICY_VIOLATION = 1008;
    /** A frame was larger than the transport accepts. */
    public static final int MESSAGE_TOO_BIG = 1009;
    /** The server holds as many connections or peers as it may; try again later. */
    public static final int TRY_AGAIN_LATER = 1013;
    /** A newer connection with the same id and the same verified token took the id over. */
    public static final int REPLACED = 4001;
    /** The client did not read: more than the allowed bytes were waiting to be sent to it. */
    public static final int SLOW_CONSUMER = 4002;

    /** The most UTF-8 bytes a close reason may take: a close frame's payload is at most 125 bytes, 2 for the code. */
    public static final int MAX_REASON_BYTES = 123;

    private CloseCodes() {}

    /**
     * {@return {@code reason} cut to fit in a close frame ({@link #MAX_REASON_BYTES} bytes of UTF-8), never inside a
     * character; null becomes empty} For transports: {@link Connection#close} callers may pass any text.
     *
     * @param reason any text, or {@code null}
     */
    public static String fitReason(String reason) {
        if (reason == null) {
            return "";
        }
        if (reason.length() * 3 <= MAX_REASON_BYTES
                || reason.getBytes(java.nio.charset.StandardCharsets.UTF_8).length <= MAX_REASON_BYTES) {
            return reason;
        }
        int bytes = 0;
        int end = 0;
        while (end < reason.length()) {
            int cp = reason.codePointAt(end);
            int len = cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
            if (bytes + len > MAX_REASON_BYTES) {
                break;
            }
            bytes += len;
            end += Character.charCount(cp);
        }
        return reason.substring(0, end);
    }
}
