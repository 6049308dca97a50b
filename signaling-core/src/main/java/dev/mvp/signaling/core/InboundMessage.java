package dev.mvp.signaling.core;

import com.google.gson.stream.JsonToken;

/**
 * One client frame, read in a single pass over its text: the top-level fields the protocol cares about
 * are kept, everything else is only checked for syntax and skipped. The frame text itself is what gets
 * relayed, so nothing is re-serialised. Not thread-safe; one instance per frame.
 *
 * <p>The syntax check is RFC 8259 exactly, so that nothing reaches a recipient that a strict parser
 * ({@code JSON.parse}, Python's {@code json}) would refuse: no byte order mark, no raw control characters
 * or unpaired surrogates in strings, no comments, single quotes, unquoted names, trailing commas,
 * {@code NaN}, leading zeros or data after the object. Numbers of any length and escapes of lone
 * surrogates (<code>"&#92;ud800"</code>) are valid JSON and pass; the frame is relayed as sent, so an escape stays
 * six ASCII characters. The one limit beyond the message length is {@link #MAX_DEPTH}.
 *
 * <p>Written by hand rather than with Gson's {@code JsonReader}: that reader skips a leading byte order
 * mark, lets raw control characters through in the values it skips, and refuses numbers longer than its
 * buffer, and working around each would take a second pass over the text.
 */
final class InboundMessage {
    /**
     * How deep arrays and objects may nest, the message itself counting as 1. Real payloads nest 3
     * deep; the bound keeps every recipient's parser (Gson stops at 255) able to read what is relayed.
     */
    static final int MAX_DEPTH = 64;

    final String text;
    String type;
    String from;
    boolean hasFrom;
    String to;
    boolean hasTo;
    String id;
    boolean hasId;
    String token;
    /** The {@code mid} member's JSON text exactly as sent, or null when absent. */
    String mid;
    /** Token kind of {@code sdp}, or null when absent. */
    JsonToken sdpKind;
    /** When {@code sdp} is an object: token kind of its {@code sdp} member, or null when absent. */
    JsonToken sdpTextKind;
    /** When {@code sdp} is an object: token kind of its {@code type} member, or null when absent. */
    JsonToken sdpTypeKind;
    /** When {@code sdp} is an object with a string {@code type}: that string. */
    String sdpType;
    /** Token kind of {@code candidate}, or null when absent. */
    JsonToken candidateKind;
    /**
     * Token kind of {@code room}, or null when absent; {@link #room} holds it when a string. Only room frames
     * read it, so another message may carry a {@code room} of any kind for its recipient.
     */
    JsonToken roomKind;
    String room;
    /** The {@code rooms} of a {@code register}: names as sent, in order; null when absent or not all strings. */
    java.util.List<String> rooms;
    /** Why {@code rooms} is not an array of strings, or null; only {@code register} with rooms on reads it. */
    String roomsProblem;

    /** The first problem found, as an error code and message; null when the frame is well-formed. */
    String problemCode;
    String problemMessage;

    private int pos;

    private InboundMessage(String text) {
        this.text = text;
    }

    /** Reads {@code text}. Never throws: a problem is recorded in {@link #problemCode}. */
    static InboundMessage parse(String text) {
        InboundMessage m = new InboundMessage(text);
        try {
            m.read();
        } catch (Malformed e) {
            // Not JSON, or too deep: that outranks any field problem seen before it.
            m.problemCode = e.code;
            m.problemMessage = e.getMessage();
        }
        return m;
    }

    boolean ok() {
        return problemCode == null;
    }

    private void read() throws Malformed {
        if (!text.isEmpty() && text.charAt(0) == '\uFEFF') {
            throw syntax("the message starts with a byte order mark (U+FEFF), which JSON does not allow");
        }
        skipWhitespace();
        if (pos >= text.length()) {
            throw syntax("the message is empty");
        }
        JsonToken top = peek();
        if (top != JsonToken.BEGIN_OBJECT) {
            throw new Malformed(ErrorCodes.INVALID_JSON, "a message must be a JSON object, was " + kind(top));
        }
        pos++;
        skipWhitespace();
        if (!consume('}')) {
            do {
                skipWhitespace();
                String name = name();
                switch (name) {
                    case "type" -> type = stringField(name, type);
                    case "from" -> {
                        from = stringField(name, from);
                        hasFrom = true;
                    }
                    case "to" -> {
                        to = stringField(name, to);
                        hasTo = true;
                    }
                    case "id" -> {
                        id = stringField(name, id);
                        hasId = true;
                    }
                    case "token" -> token = optionalStringField(name);
                    case "mid" -> {
                        int start = pos;
                        skipValue(2);
                        mid = text.substring(start, pos);
                    }
                    case "sdp" -> readSdp();
                    case "room" -> {
                        roomKind = peek();
                        room = roomKind == JsonToken.STRING ? string() : null;
                        if (roomKind != JsonToken.STRING) {
                            skipValue(2);
                        }
                    }
                    case "rooms" -> readRooms();
                    case "candidate" -> {
                        candidateKind = peek();
                        skipValue(2);
                    }
                    default -> skipValue(2);
                }
                skipWhitespace();
            } while (consume(','));
            expect('}', "',' or '}'");
        }
        skipWhitespace();
        if (pos < text.length()) {
            throw syntax("the message has data after the JSON object, at character " + (pos + 1));
        }
    }

    /** A member name and the colon after it; the position is then on the value. */
    private String name() throws Malformed {
        if (pos >= text.length() || text.charAt(pos) != '"') {
            throw syntax("expected a member name in double quotes at character " + (pos + 1));
        }
        String name = string();
        skipWhitespace();
        expect(':', "':'");
        skipWhitespace();
        return name;
    }

    /** Reads a required string field; records a problem for any other kind or a duplicate. */
    private String stringField(String name, String previous) throws Malformed {
        if (previous != null) {
            problem(ErrorCodes.INVALID_FIELD, "the field '" + name + "' appears more than once");
        }
        JsonToken kind = peek();
        if (kind != JsonToken.STRING) {
            problem(ErrorCodes.INVALID_FIELD, "the field '" + name + "' must be a string, was " + kind(kind));
            skipValue(2);
            return previous;
        }
        return string();
    }

    private String optionalStringField(String name) throws Malformed {
        JsonToken kind = peek();
        if (kind == JsonToken.STRING) {
            return string();
        }
        if (kind != JsonToken.NULL) {
            problem(ErrorCodes.INVALID_FIELD, "the field '" + name + "' must be a string or null, was " + kind(kind));
        }
        skipValue(2);
        return null;
    }

    /**
     * {@code sdp} is the SDP text, or a session description object as a browser's
     * {@code RTCSessionDescription} serialises it ({@code {"type":"offer","sdp":"v=0..."}}). Only the
     * kinds are noted here; the router decides what is acceptable. A repeated {@code sdp} replaces the
     * earlier one, as it does for the recipient's parser.
     */
    private void readSdp() throws Malformed {
        sdpKind = peek();
        sdpTextKind = null;
        sdpTypeKind = null;
        sdpType = null;
        if (sdpKind != JsonToken.BEGIN_OBJECT) {
            skipValue(2);
            return;
        }
        pos++;
        skipWhitespace();
        if (consume('}')) {
            return;
        }
        do {
            skipWhitespace();
            String name = name();
            JsonToken kind = peek();
            if (name.equals("type")) {
                sdpTypeKind = kind;
                sdpType = kind == JsonToken.STRING ? string() : null;
                if (sdpType == null) {
                    skipValue(3);
                }
            } else {
                if (name.equals("sdp")) {
                    sdpTextKind = kind;
                }
                skipValue(3);
            }
            skipWhitespace();
        } while (consume(','));
        expect('}', "',' or '}'");
    }

    /** {@code rooms}: an array of strings, else {@link #roomsProblem}; a repeated one replaces the first. */
    private void readRooms() throws Malformed {
        rooms = null;
        roomsProblem = null;
        if (peek() != JsonToken.BEGIN_ARRAY) {
            roomsProblem = "the field 'rooms' must be an array of room names, was " + kind(peek());
            skipValue(2);
            return;
        }
        enter(2);
        java.util.List<String> names = new java.util.ArrayList<>();
        pos++;
        skipWhitespace();
        if (!consume(']')) {
            do {
                skipWhitespace();
                JsonToken kind = peek();
                if (kind == JsonToken.STRING) {
                    names.add(string());
                } else {
                    if (roomsProblem == null) {
                        roomsProblem = "every entry of 'rooms' must be a string, one was " + kind(kind);
                    }
                    skipValue(3);
                }
                skipWhitespace();
            } while (consume(','));
            expect(']', "',' or ']'");
        }
        rooms = roomsProblem == null ? names : null;
    }

    /** The kind of the value at the position, which must start one. */
    private JsonToken peek() throws Malformed {
        if (pos < text.length()) {
            switch (text.charAt(pos)) {
                case '{' -> {
                    return JsonToken.BEGIN_OBJECT;
                }
                case '[' -> {
                    return JsonToken.BEGIN_ARRAY;
                }
                case '"' -> {
                    return JsonToken.STRING;
                }
                case 't', 'f' -> {
                    return JsonToken.BOOLEAN;
                }
                case 'n' -> {
                    return JsonToken.NULL;
                }
                case '-', '0', '1', '2', '3', '4', '5', '6', '7', '8', '9' -> {
                    return JsonToken.NUMBER;
                }
                default -> { }
            }
        }
        throw expected("a value");
    }

    /**
     * Skips one value that sits at nesting depth {@code depth} (a member of the message is at 2), checking
     * its syntax.
     */
    private void skipValue(int depth) throws Malformed {
        switch (peek()) {
            case BEGIN_OBJECT -> {
                enter(depth);
                pos++;
                skipWhitespace();
                if (!consume('}')) {
                    do {
                        skipWhitespace();
                        if (pos >= text.length() || text.charAt(pos) != '"') {
                            throw syntax("expected a member name in double quotes at character " + (pos + 1));
                        }
                        skipString();
                        skipWhitespace();
                        expect(':', "':'");
                        skipWhitespace();
                        skipValue(depth + 1);
                        skipWhitespace();
                    } while (consume(','));
                    expect('}', "',' or '}'");
                }
            }
            case BEGIN_ARRAY -> {
                enter(depth);
                pos++;
                skipWhitespace();
                if (!consume(']')) {
                    do {
                        skipWhitespace();
                        skipValue(depth + 1);
                        skipWhitespace();
                    } while (consume(','));
                    expect(']', "',' or ']'");
                }
            }
            case STRING -> skipString();
            case NUMBER -> skipNumber();
            case BOOLEAN -> literal(text.charAt(pos) == 't' ? "true" : "false");
            default -> literal("null");
        }
    }

    private static void enter(int depth) throws Malformed {
        if (depth > MAX_DEPTH) {
            throw new Malformed(ErrorCodes.TOO_DEEP,
                    "arrays and objects nest more than " + MAX_DEPTH + " deep (the message counting as 1)");
        }
    }

    private void literal(String word) throws Malformed {
        if (!text.startsWith(word, pos)) {
            throw expected("a value");
        }
        pos += word.length();
    }

    /** {@code -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?}, of any length. */
    private void skipNumber() throws Malformed {
        int start = pos;
        consume('-');
        if (!consume('0')) {
            if (digits() == 0) {
                throw syntax("a number needs a digit at character " + (pos + 1));
            }
        }
        if (consume('.') && digits() == 0) {
            throw syntax("a number needs a digit after '.' at character " + (pos + 1));
        }
        if (consume('e') || consume('E')) {
            if (!consume('+')) {
                consume('-');
            }
            if (digits() == 0) {
                throw syntax("a number needs a digit in its exponent at character " + (pos + 1));
            }
        }
        assert pos > start;
    }

    private int digits() {
        int start = pos;
        while (pos < text.length() && text.charAt(pos) >= '0' && text.charAt(pos) <= '9') {
            pos++;
        }
        return pos - start;
    }

    /** Reads the string at the position (on its opening quote) and returns its value. */
    private String string() throws Malformed {
        int start = pos + 1;
        int end = scanString();
        if (end < 0) {
            return text.substring(start, pos - 1);
        }
        return decode(start, pos - 1);
    }

    private void skipString() throws Malformed {
        scanString();
    }

    /**
     * Checks the string at the position (on its opening quote) and moves past its closing quote.
     *
     * @return -1 if it holds no escape, else the index of its first backslash
     */
    private int scanString() throws Malformed {
        int firstEscape = -1;
        int i = pos + 1;
        int n = text.length();
        while (true) {
            if (i >= n) {
                pos = i;
                throw syntax("a string is not closed");
            }
            char c = text.charAt(i);
            if (c == '"') {
                pos = i + 1;
                return firstEscape;
            }
            if (c == '\\') {
                if (firstEscape < 0) {
                    firstEscape = i;
                }
                i = escapeEnd(i);
            } else if (c < 0x20) {
                throw syntax(String.format("a raw control character U+%04X in a string at character %d (JSON "
                        + "needs it escaped)", (int) c, i + 1));
            } else if (Character.isSurrogate(c)) {
                if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(text.charAt(i + 1))) {
                    i += 2;
                } else {
                    throw syntax("an unpaired surrogate U+" + Integer.toHexString(c).toUpperCase(java.util.Locale.ROOT)
                            + " in a string at character " + (i + 1) + " (not Unicode text)");
                }
            } else {
                i++;
            }
        }
    }

    /** Checks the escape whose backslash is at {@code i}; returns the index after it. */
    private int escapeEnd(int i) throws Malformed {
        if (i + 1 >= text.length()) {
            throw syntax("a string is not closed");
        }
        char e = text.charAt(i + 1);
        switch (e) {
            case '"', '\\', '/', 'b', 'f', 'n', 'r', 't' -> {
                return i + 2;
            }
            case 'u' -> {
                if (i + 6 > text.length()) {
                    throw syntax("a \\u escape needs four hex digits at character " + (i + 1));
                }
                for (int k = i + 2; k < i + 6; k++) {
                    if (!isHexDigit(text.charAt(k))) {
                        throw syntax("a \\u escape needs four hex digits at character " + (i + 1));
                    }
                }
                return i + 6;
            }
            default -> throw syntax("an invalid escape '\\" + e + "' at character " + (i + 1));
        }
    }

    private static boolean isHexDigit(char c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    }

    /** The value of a checked string's content {@code [start, end)} that holds escapes. */
    private String decode(int start, int end) {
        StringBuilder sb = new StringBuilder(end - start);
        int i = start;
        while (i < end) {
            char c = text.charAt(i);
            if (c != '\\') {
                sb.append(c);
                i++;
                continue;
            }
            char e = text.charAt(i + 1);
            switch (e) {
                case 'b' -> sb.append('\b');
                case 'f' -> sb.append('\f');
                case 'n' -> sb.append('\n');
                case 'r' -> sb.append('\r');
                case 't' -> sb.append('\t');
                case 'u' -> {
                    sb.append((char) Integer.parseInt(text, i + 2, i + 6, 16));
                    i += 4;
                }
                default -> sb.append(e);
            }
            i += 2;
        }
        return sb.toString();
    }

    private void skipWhitespace() {
        int n = text.length();
        while (pos < n) {
            char c = text.charAt(pos);
            if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
                return;
            }
            pos++;
        }
    }

    private boolean consume(char c) {
        if (pos < text.length() && text.charAt(pos) == c) {
            pos++;
            return true;
        }
        return false;
    }

    private void expect(char c, String what) throws Malformed {
        if (!consume(c)) {
            throw expected(what);
        }
    }

    private Malformed expected(String what) {
        if (pos >= text.length()) {
            return syntax("the message ends early: expected " + what);
        }
        char c = text.charAt(pos);
        String found = c < 0x20 || c > 0x7e ? String.format("U+%04X", (int) c) : "'" + c + "'";
        return syntax("expected " + what + " at character " + (pos + 1) + ", found " + found);
    }

    private static Malformed syntax(String detail) {
        return new Malformed(ErrorCodes.INVALID_JSON, "the message is not valid JSON: " + detail);
    }

    private void problem(String code, String message) {
        if (problemCode == null) {
            problemCode = code;
            problemMessage = message;
        }
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

    /** The frame is not JSON, or over a syntax limit: reading stops. */
    private static final class Malformed extends Exception {
        final String code;

        Malformed(String code, String message) {
            super(message, null, false, false);
            this.code = code;
        }
    }
}
