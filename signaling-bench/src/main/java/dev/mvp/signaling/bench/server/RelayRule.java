package dev.mvp.signaling.bench.server;

/**
 * What both bare relays do with a text frame, by plain text search and no JSON parsing: a {@code register}
 * frame is answered {@link #registered}; any other is forwarded as it is to the id after its first
 * {@code "to":"} ({@link #recipient}).
 */
final class RelayRule {
    private static final String TO = "\"to\":\"";
    private static final String REGISTER = "\"type\":\"register\"";

    private RelayRule() {}

    /** {@return whether {@code message} is a register frame} */
    static boolean isRegister(String message) {
        return message.contains(REGISTER);
    }

    /** {@return the answer to a register frame from the client known as {@code id}} */
    static String registered(Object id) {
        return "{\"type\":\"registered\",\"id\":\"" + id + "\"}";
    }

    /** {@return the id {@code message} is for, or null when it names none} */
    static String recipient(String message) {
        int at = message.indexOf(TO);
        if (at < 0) {
            return null;
        }
        int from = at + TO.length();
        int end = message.indexOf('"', from);
        return end < 0 ? null : message.substring(from, end);
    }
}
