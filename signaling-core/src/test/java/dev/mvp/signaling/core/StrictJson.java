package dev.mvp.signaling.core;

/**
 * An RFC 8259 checker for tests, written apart from the hub's reader so the two can be compared: it
 * walks the grammar of the RFC's section 2 to 7 over the text's code points and reports the deepest
 * nesting, or -1 when the text is not JSON. A Java string stands for Unicode text here, so an unpaired
 * surrogate character (not an escape) is not JSON either.
 */
final class StrictJson {
    private final String s;
    private int i;
    private int deepest;

    private StrictJson(String s) {
        this.s = s;
    }

    /** The nesting depth of the JSON text {@code s} (a scalar is 0, {@code {}} is 1), or -1 if it is not JSON. */
    static int depth(String s) {
        StrictJson p = new StrictJson(s);
        try {
            p.ws();
            p.value(0);
            p.ws();
            return p.i == s.length() ? p.deepest : -1;
        } catch (IllegalArgumentException | IndexOutOfBoundsException e) {
            return -1;
        }
    }

    /** Whether {@code s} is a JSON text whose top-level value is an object. */
    static boolean isObject(String s) {
        return depth(s) >= 1 && s.strip().startsWith("{") && !s.startsWith("\uFEFF");
    }

    private void value(int depth) {
        char c = s.charAt(i);
        if (c == '{') {
            deepest = Math.max(deepest, depth + 1);
            i++;
            ws();
            if (s.charAt(i) == '}') {
                i++;
                return;
            }
            while (true) {
                ws();
                if (s.charAt(i) != '"') {
                    throw new IllegalArgumentException();
                }
                string();
                ws();
                need(':');
                ws();
                value(depth + 1);
                ws();
                if (s.charAt(i) == ',') {
                    i++;
                } else {
                    need('}');
                    return;
                }
            }
        } else if (c == '[') {
            deepest = Math.max(deepest, depth + 1);
            i++;
            ws();
            if (s.charAt(i) == ']') {
                i++;
                return;
            }
            while (true) {
                ws();
                value(depth + 1);
                ws();
                if (s.charAt(i) == ',') {
                    i++;
                } else {
                    need(']');
                    return;
                }
            }
        } else if (c == '"') {
            string();
        } else if (s.startsWith("true", i)) {
            i += 4;
        } else if (s.startsWith("false", i)) {
            i += 5;
        } else if (s.startsWith("null", i)) {
            i += 4;
        } else {
            number();
        }
    }

    private void number() {
        java.util.regex.Matcher m = NUMBER.matcher(s).region(i, s.length());
        if (!m.lookingAt()) {
            throw new IllegalArgumentException();
        }
        i = m.end();
    }

    private static final java.util.regex.Pattern NUMBER =
            java.util.regex.Pattern.compile("-?(?:0|[1-9][0-9]*)(?:\\.[0-9]+)?(?:[eE][-+]?[0-9]+)?");

    private void string() {
        i++; // the opening quote
        while (true) {
            int cp = s.codePointAt(i);
            if (cp == '"') {
                i++;
                return;
            }
            if (cp < 0x20 || (cp >= 0xD800 && cp <= 0xDFFF)) {
                throw new IllegalArgumentException();
            }
            if (cp == '\\') {
                char e = s.charAt(i + 1);
                if ("\"\\/bfnrt".indexOf(e) >= 0) {
                    i += 2;
                } else if (e == 'u' && s.substring(i + 2, i + 6).matches("[0-9A-Fa-f]{4}")) {
                    i += 6;
                } else {
                    throw new IllegalArgumentException();
                }
            } else {
                i += Character.charCount(cp);
            }
        }
    }

    private void ws() {
        while (i < s.length() && " \t\n\r".indexOf(s.charAt(i)) >= 0) {
            i++;
        }
    }

    private void need(char c) {
        if (s.charAt(i) != c) {
            throw new IllegalArgumentException();
        }
        i++;
    }
}
