package dev.mvp.signaling.server;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The WebSocket library under the server. Both serve the same protocol, HTTP endpoints, limits, TLS and
 * shutdown sequence; they differ in threads and speed: on Netty the server relays about 1.7 times as many
 * messages at about 0.6 times the CPU per message (see {@code docs/BENCHMARKS.md}).
 */
public enum Transport {
    /**
     * Java-WebSocket (org.java-websocket): the first transport, and the smaller dependency. A project that
     * wants only this one can exclude Netty ({@code io.netty}, {@code dev.mvp:signaling-transport-netty}).
     */
    JAVA_WEBSOCKET("java-websocket"),
    /** Netty, from the {@code dev.mvp:signaling-transport-netty} module: the default. */
    NETTY("netty");

    private final String id;

    Transport(String id) {
        this.id = id;
    }

    /** The name used by {@code --transport} and {@code TRANSPORT}. */
    public String id() {
        return id;
    }

    /**
     * The transport named {@code name}, ignoring case.
     *
     * @throws IllegalArgumentException naming the allowed values
     */
    public static Transport parse(String name) {
        String wanted = name.trim().toLowerCase(Locale.ROOT);
        for (Transport t : values()) {
            if (t.id.equals(wanted)) {
                return t;
            }
        }
        throw new IllegalArgumentException("unknown transport '" + name + "'; allowed: "
                + Arrays.stream(values()).map(Transport::id).collect(Collectors.joining(", ")));
    }

    @Override
    public String toString() {
        return id;
    }
}
