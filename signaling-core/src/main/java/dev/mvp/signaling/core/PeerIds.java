package dev.mvp.signaling.core;

/**
 * The rules for peer ids: 1 to {@value #MAX_LENGTH} characters from {@code [A-Za-z0-9._:@-]}. Room names
 * follow the same rules.
 *
 * <p>Transports validate the id they take from the connection path with {@link #isValid} before they
 * create any state; the hub validates again.
 */
public final class PeerIds {
    /** The longest id accepted. */
    public static final int MAX_LENGTH = 128;

    private PeerIds() {}

    /**
     * {@return whether {@code id} is a well-formed peer id}
     *
     * @param id the id to check, possibly {@code null}
     */
    public static boolean isValid(String id) {
        if (id == null || id.isEmpty() || id.length() > MAX_LENGTH) {
            return false;
        }
        for (int i = 0; i < id.length(); i++) {
            if (!isIdChar(id.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    /**
     * {@return a sentence saying why {@code id} is invalid, for error messages; {@code null} if it is valid}
     *
     * @param id the id to check, possibly {@code null}
     */
    public static String problem(String id) {
        return problem("id", id);
    }

    /**
     * What is wrong with {@code name} by the rules of ids, in a sentence about {@code what} (room names
     * follow the same rules), or null.
     */
    static String problem(String what, String name) {
        if (name == null || name.isEmpty()) {
            return what + " must not be empty";
        }
        if (name.length() > MAX_LENGTH) {
            return what + " is " + name.length() + " characters long; at most " + MAX_LENGTH + " are allowed";
        }
        for (int i = 0; i < name.length(); i++) {
            if (!isIdChar(name.charAt(i))) {
                return what + " contains a character outside [A-Za-z0-9._:@-] at index " + i;
            }
        }
        return null;
    }

    private static boolean isIdChar(char c) {
        return (c >= 'a' && c <= 'z')
                || (c >= 'A' && c <= 'Z')
                || (c >= '0' && c <= '9')
                || c == '.' || c == '_' || c == ':' || c == '@' || c == '-';
    }
}
