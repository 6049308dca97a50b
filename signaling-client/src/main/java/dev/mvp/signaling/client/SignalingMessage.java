package dev.mvp.signaling.client;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;

/**
 * One frame the server sent this client: a message relayed from another peer ({@code offer},
 * {@code answer}, {@code candidate}, {@code bye}, or a type the server was configured to route) or an
 * {@code error}. {@link #json()} is the frame exactly as received, so fields this class has no getter for
 * are not lost. Immutable.
 */
public final class SignalingMessage {
    private final String json;
    private final JsonObject object;

    private SignalingMessage(String json, JsonObject object) {
        this.json = json;
        this.object = object;
    }

    /**
     * Reads one frame.
     *
     * @param json the frame's text
     * @return the message
     * @throws IllegalArgumentException if the text is not a JSON object with a string {@code type}
     */
    public static SignalingMessage parse(String json) {
        JsonElement element;
        try {
            element = JsonParser.parseString(json);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("not JSON: " + e.getMessage(), e);
        }
        if (!element.isJsonObject()) {
            throw new IllegalArgumentException("not a JSON object");
        }
        JsonObject object = element.getAsJsonObject();
        if (string(object, "type") == null) {
            throw new IllegalArgumentException("no string 'type'");
        }
        return new SignalingMessage(json, object);
    }

    /** {@return the message type, e.g. {@code offer}} */
    public String type() {
        return string(object, "type");
    }

    /**
     * {@return whether this message has the given type}
     *
     * @param type the type to compare with
     */
    public boolean is(String type) {
        return type.equals(type());
    }

    /** {@return the sender's id (the server stamps it on every relayed message), or {@code null} for an error} */
    public String from() {
        return string(object, "from");
    }

    /** {@return the recipient's id as the sender wrote it, or {@code null}} */
    public String to() {
        return string(object, "to");
    }

    /**
     * {@return the SDP text of an {@code offer} or {@code answer}, or {@code null}} Peers send it in either
     * form the protocol allows: the text itself ({@code "sdp":"v=0..."}) or a browser's session description
     * ({@code "sdp":{"type":"offer","sdp":"v=0..."}}); this is the text either way.
     */
    public String sdp() {
        JsonElement sdp = object.get("sdp");
        if (sdp != null && sdp.isJsonObject()) {
            return string(sdp.getAsJsonObject(), "sdp");
        }
        return string(object, "sdp");
    }

    /**
     * {@return the {@code reason} of a {@code bye}, e.g. {@code disconnected} when the peer dropped; or {@code null}}
     */
    public String reason() {
        return string(object, "reason");
    }

    /**
     * {@return the candidate of a {@code candidate} message, or {@code null} when there is none (another
     * type, or {@code "candidate":null}, which marks the end of candidates)} Peers send it in either form the
     * protocol allows: a browser's {@code RTCIceCandidateInit} object, or the bare candidate line
     * ({@code "candidate":"candidate:1 1 udp ..."}, which has no {@code sdpMid} or {@code sdpMLineIndex}).
     * Members the server relays untouched but that are not of the expected kind (a numeric {@code sdpMid},
     * a negative {@code sdpMLineIndex}) read as {@code null}; everything is kept in {@link #json()}.
     */
    public IceCandidate candidate() {
        JsonElement c = object.get("candidate");
        if (c instanceof JsonPrimitive p && p.isString()) {
            return new IceCandidate(p.getAsString(), null, null, null);
        }
        if (c == null || !c.isJsonObject()) {
            return null;
        }
        JsonObject o = c.getAsJsonObject();
        String line = string(o, "candidate");
        return new IceCandidate(line == null ? "" : line, string(o, "sdpMid"), mLineIndex(o.get("sdpMLineIndex")),
                string(o, "usernameFragment"));
    }

    /** A non-negative integer that fits an {@code int}, else {@code null}. */
    private static Integer mLineIndex(JsonElement index) {
        if (!(index instanceof JsonPrimitive p) || !p.isNumber()) {
            return null;
        }
        try {
            int value = p.getAsBigDecimal().intValueExact();
            return value >= 0 ? value : null;
        } catch (ArithmeticException | NumberFormatException e) {
            return null;
        }
    }

    /** {@return whether this is a {@code candidate} message that marks the end of candidates} */
    public boolean isEndOfCandidates() {
        if (!is("candidate")) {
            return false;
        }
        IceCandidate c = candidate();
        return c == null || c.isEndOfCandidates();
    }

    /**
     * {@return the top-level member {@code name} when it is a JSON string, or {@code null}}
     *
     * @param name the member's name
     */
    public String string(String name) {
        return string(object, name);
    }

    /**
     * {@return the top-level member {@code name} as JSON text (e.g. {@code 7}, {@code "a"}, {@code {...}}),
     * or {@code null}}
     *
     * @param name the member's name
     */
    public String member(String name) {
        JsonElement e = object.get(name);
        return e == null ? null : e.toString();
    }

    /** {@return the frame exactly as the server sent it} */
    public String json() {
        return json;
    }

    /**
     * This {@code error} frame as an error record.
     *
     * @return the error
     * @throws IllegalStateException if this is not an {@code error}
     */
    public SignalingError asError() {
        if (!is("error")) {
            throw new IllegalStateException("not an error but a '" + type() + "' message");
        }
        return new SignalingError(string("code"), string("message"), string("peer"), string("ref"), member("mid"));
    }

    @Override
    public String toString() {
        if (is("error")) {
            return "error " + asError();
        }
        return type() + " from " + from() + " to " + to() + " (" + json.length() + " chars)";
    }

    private static String string(JsonObject o, String name) {
        JsonElement e = o.get(name);
        return e instanceof JsonPrimitive p && p.isString() ? p.getAsString() : null;
    }
}
