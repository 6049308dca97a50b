package dev.mvp.signaling.core;

/**
 * The error codes the hub itself puts in {@code {"type":"error","code":...}} frames.
 *
 * <p>Codes are plain strings, not an enum: custom {@link Authenticator}s and
 * {@link MessageInterceptor}s may reject with codes of their own. Every code is kebab-case and
 * stable; {@code docs/PROTOCOL.md} lists what each one means.
 */
public final class ErrorCodes {
    /** The frame is not a single valid JSON object. */
    public static final String INVALID_JSON = "invalid-json";
    /** A field the message type requires is absent. */
    public static final String MISSING_FIELD = "missing-field";
    /** A field has the wrong JSON type or an unacceptable value. */
    public static final String INVALID_FIELD = "invalid-field";
    /** The frame is valid JSON but nests arrays and objects deeper than the hub reads (64 levels). */
    public static final String TOO_DEEP = "too-deep";
    /** The {@code type} is not part of the protocol and not configured as routable. */
    public static final String UNKNOWN_TYPE = "unknown-type";
    /** The frame is longer than the hub's configured maximum. */
    public static final String MESSAGE_TOO_LARGE = "message-too-large";
    /** The transport received a binary frame; the protocol is text only. */
    public static final String BINARY_NOT_SUPPORTED = "binary-not-supported";
    /** A message other than {@code register} arrived before a successful {@code register}. */
    public static final String NOT_REGISTERED = "not-registered";
    /** The connection is registered under another id already. */
    public static final String ALREADY_REGISTERED = "already-registered";
    /** The id in {@code register} is not the id of the connection path. */
    public static final String ID_MISMATCH = "id-mismatch";
    /** The id is empty, too long or uses characters outside {@code [A-Za-z0-9._:@-]}. */
    public static final String INVALID_ID = "invalid-id";
    /** Another live connection holds the id. */
    public static final String ID_TAKEN = "id-taken";
    /** The message names a {@code from} other than the sender's registered id. */
    public static final String FROM_MISMATCH = "from-mismatch";
    /** No peer with the {@code to} id is connected. */
    public static final String PEER_NOT_FOUND = "peer-not-found";
    /** The connection did not register within the configured time. */
    public static final String REGISTER_TIMEOUT = "register-timeout";
    /** The authenticator refused the registration without a more specific code. */
    public static final String UNAUTHORIZED = "unauthorized";
    /** A token is required and none was given. */
    public static final String TOKEN_MISSING = "token-missing";
    /** The token is not valid for this id. */
    public static final String TOKEN_INVALID = "token-invalid";
    /** The token was valid once but has expired. */
    public static final String TOKEN_EXPIRED = "token-expired";
    /** The token is valid but was issued for another id. */
    public static final String TOKEN_ID_MISMATCH = "token-id-mismatch";
    /** A message held for an offline peer was not picked up in time; it was not delivered. */
    public static final String DELIVERY_EXPIRED = "delivery-expired";
    /** The offline queue for that peer, for this sender or in total is full; the message was not held. */
    public static final String QUEUE_FULL = "queue-full";
    /**
     * The message would start a conversation beyond the bound on conversations at once, the sender's or
     * the recipient's ({@link HubConfig#maxConversations()}); it was not delivered.
     */
    public static final String TOO_MANY_CONVERSATIONS = "too-many-conversations";
    /** The connection sends faster than its rate limit allows; the frame was not handled. */
    public static final String RATE_LIMITED = "rate-limited";
    /** The server holds as many connections or peers as it is configured for. */
    public static final String SERVER_FULL = "server-full";
    /** A room frame ({@code join}, {@code leave}, {@code members}) arrived, but rooms are off on this server. */
    public static final String ROOMS_DISABLED = "rooms-disabled";
    /** A room name is empty, longer than 128 characters or uses characters outside {@code [A-Za-z0-9._:@-]}. */
    public static final String INVALID_ROOM = "invalid-room";
    /** The client is in as many rooms as it may be ({@link RoomPolicy#maxRoomsPerPeer()}). */
    public static final String TOO_MANY_ROOMS = "too-many-rooms";
    /** The room holds its most members ({@link RoomPolicy#maxMembers()}). */
    public static final String ROOM_FULL = "room-full";
    /** {@code leave} or {@code members} of a room the client is not in. */
    public static final String NOT_A_MEMBER = "not-a-member";
    /** The {@link RoomAccess} did not let the client join the room. */
    public static final String ROOM_REFUSED = "room-refused";
    /** A server-side extension failed while handling the message; the message was not delivered. */
    public static final String INTERNAL_ERROR = "internal-error";

    private ErrorCodes() {}
}
