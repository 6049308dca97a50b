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

    private CloseCodes() {}
}
