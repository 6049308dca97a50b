package dev.mvp.signaling.core;

import com.google.gson.JsonElement;
import com.google.gson.TypeAdapter;
import com.google.gson.Gson;
import com.google.gson.Strictness;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import java.io.IOException;
import java.io.StringReader;

/**
 * One client frame, read in a single streaming pass: the top-level fields the protocol cares about are
 * kept, everything else is only checked for syntax and skipped. The frame text itself is what gets
 * relayed, so nothing is re-serialised. Not thread-safe; one instance per frame.
 */
final class InboundMessage {
    private static final TypeAdapter<JsonElement> ELEMENT = new Gson().getAdapter(JsonElement.class);

    final String text;
    String type;
    String from;
    boolean hasFrom;
    String to;
    boolean hasTo;
    String id;
    boolean hasId;
    String token;
    JsonElement mid;
    /** Token kind of {@code sdp}, or null when absent. */
    JsonToken sdpKind;
    /** Token kind of {@code candidate}, or null when absent. */
    JsonToken candidateKind;

    /** The first problem found, as an error code and message; null when the frame is well-formed. */
    String problemCode;
    String problemMessage;

    private InboundMessage(String text) {
        this.text = text;
    }

    /** Reads {@code text}. Never throws: a problem is recorded in {@link #problemCode}. */
    static InboundMessage parse(String text) {
        InboundMessage m = new InboundMessage(text);
        try {
            m.read();
        } catch (IOException | IllegalStateException | NumberFormatException e) {
            // Gson reports malformed input as MalformedJsonException (an IOException) or
            // IllegalStateException; say where, not the parser's internals.
            m.problem(ErrorCodes.INVALID_JSON, "the message is not valid JSON: " + describe(e));
        }
        return m;
    }

    boolean ok() {
        return problemCode == null;
    }

    private void read() throws IOException {
        JsonReader r = new JsonReader(new StringReader(text));
        r.setStrictness(Strictness.STRICT);
        if (r.peek() != JsonToken.BEGIN_OBJECT) {
            problem(ErrorCodes.INVALID_JSON, "a message must be a JSON object");
            return;
        }
        r.beginObject();
        while (r.hasNext()) {
            String name = r.nextName();
            switch (name) {
                case "type" -> type = readString(r, name, type);
                case "from" -> {
                    from = readString(r, name, from);
                    hasFrom = true;
                }
                case "to" -> {
                    to = readString(r, name, to);
                    hasTo = true;
                }
                case "id" -> {
                    id = readString(r, name, id);
                    hasId = true;
                }
                case "token" -> token = readOptionalString(r, name);
                case "mid" -> mid = ELEMENT.read(r);
                case "sdp" -> {
                    sdpKind = r.peek();
                    r.skipValue();
                }
                case "candidate" -> readCandidate(r);
                default -> r.skipValue();
            }
        }
        r.endObject();
        if (r.peek() != JsonToken.END_DOCUMENT) {
            problem(ErrorCodes.INVALID_JSON, "the message has data after the JSON object");
        }
    }

    /** Reads a required string field; records a problem for any other kind or a duplicate. */
    private String readString(JsonReader r, String name, String previous) throws IOException {
        if (previous != null) {
            problem(ErrorCodes.INVALID_FIELD, "the field '" + name + "' appears more than once");
        }
        if (r.peek() != JsonToken.STRING) {
            problem(ErrorCodes.INVALID_FIELD, "the field '" + name + "' must be a string, was " + kind(r.peek()));
            r.skipValue();
            return previous;
        }
        return r.nextString();
    }

    private String readOptionalString(JsonReader r, String name) throws IOException {
        JsonToken kind = r.peek();
        if (kind == JsonToken.NULL) {
            r.nextNull();
            return null;
        }
        if (kind != JsonToken.STRING) {
            problem(ErrorCodes.INVALID_FIELD, "the field '" + name + "' must be a string, was " + kind(kind));
            r.skipValue();
            return null;
        }
        return r.nextString();
    }

    /**
     * {@code candidate} is an RTCIceCandidateInit object, or null for the end of candidates. Inside the
     * object {@code candidate} is a string (empty for the end of candidates), {@code sdpMid} a string or
     * null, {@code sdpMLineIndex} a non-negative integer or null; other members are kept as sent.
     */
    private void readCandidate(JsonReader r) throws IOException {
        candidateKind = r.peek();
        if (candidateKind != JsonToken.BEGIN_OBJECT) {
            r.skipValue();
            return;
        }
        boolean hasCandidateLine = false;
        r.beginObject();
        while (r.hasNext()) {
            String name = r.nextName();
            JsonToken kind = r.peek();
            switch (name) {
                case "candidate" -> {
                    hasCandidateLine = true;
                    if (kind != JsonToken.STRING) {
                        problem(ErrorCodes.INVALID_FIELD, "candidate.candidate must be a string, was " + kind(kind));
                    }
                    r.skipValue();
                }
                case "sdpMid", "usernameFragment" -> {
                    if (kind != JsonToken.STRING && kind != JsonToken.NULL) {
                        problem(ErrorCodes.INVALID_FIELD,
                                "candidate." + name + " must be a string or null, was " + kind(kind));
                    }
                    r.skipValue();
                }
                case "sdpMLineIndex" -> {
                    if (kind == JsonToken.NUMBER) {
                        String n = r.nextString();
                        if (!isUnsignedInteger(n)) {
                            problem(ErrorCodes.INVALID_FIELD,
                                    "candidate.sdpMLineIndex must be a non-negative integer, was " + n);
                        }
                    } else {
                        if (kind != JsonToken.NULL) {
                            problem(ErrorCodes.INVALID_FIELD,
                                    "candidate.sdpMLineIndex must be a number or null, was " + kind(kind));
                        }
                        r.skipValue();
                    }
                }
                default -> r.skipValue();
            }
        }
        r.endObject();
        if (!hasCandidateLine) {
            problem(ErrorCodes.MISSING_FIELD, "candidate.candidate is required (use \"\" for end of candidates)");
        }
    }

    private void problem(String code, String message) {
        if (problemCode == null) {
            problemCode = code;
            problemMessage = message;
        }
    }

    private static boolean isUnsignedInteger(String n) {
        if (n.isEmpty() || n.length() > 9) {
            return false;
        }
        for (int i = 0; i < n.length(); i++) {
            char c = n.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }

    static String kind(JsonToken token) {
        return switch (token) {
            case BEGIN_OBJECT -> "an object";
            case BEGIN_ARRAY -> "an array";
            case STRING -> "a string";
            case NUMBER -> "a number";
            case BOOLEAN -> "a boolean";
            case NULL -> "null";
            default -> token.name().toLowerCase(java.util.Locale.ROOT);
        };
    }

    private static String describe(Exception e) {
        String msg = e.getMessage();
        if (msg == null) {
            return e.getClass().getSimpleName();
        }
        // Gson appends a troubleshooting URL to its messages and, for most syntax errors, advice to its
        // own callers; neither means anything to a client. The position is kept.
        int see = msg.indexOf("\nSee ");
        String text = see >= 0 ? msg.substring(0, see) : msg;
        String advice = "Use JsonReader.setStrictness(Strictness.LENIENT) to accept malformed JSON";
        return text.startsWith(advice) ? "malformed JSON" + text.substring(advice.length()) : text;
    }
}
