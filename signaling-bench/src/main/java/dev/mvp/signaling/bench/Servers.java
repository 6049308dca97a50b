package dev.mvp.signaling.bench;

import java.util.List;

/**
 * The servers the tool can start ({@code --servers}), and the yardstick each of ours is measured against:
 * our Java-WebSocket engine against the bare Java-WebSocket relay ({@code baseline}), our Netty engine against
 * the bare Netty relay ({@code netty-baseline}) when it ran, else against {@code baseline}.
 */
final class Servers {
    /** Every server kind, in the order of the table's columns. */
    static final List<String> KINDS = List.of("jws", "netty", "baseline", "netty-baseline");
    /** The default of {@code --servers}. */
    static final List<String> DEFAULT = List.of("jws", "baseline", "netty", "netty-baseline");
    /** The bare relays: measured, never compared. */
    static final List<String> BASELINES = List.of("baseline", "netty-baseline");

    private Servers() {}

    static boolean isBaseline(String kind) {
        return BASELINES.contains(kind);
    }

    /**
     * The server {@code kind} is compared with, among those that ran; null for a bare relay, or when its
     * yardstick did not run.
     */
    static String baselineOf(String kind, java.util.Collection<String> ran) {
        if (isBaseline(kind)) {
            return null;
        }
        if (kind.equals("netty") && ran.contains("netty-baseline")) {
            return "netty-baseline";
        }
        return ran.contains("baseline") ? "baseline" : null;
    }
}
