package dev.mvp.signaling.examples.agent;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * What an {@link Agent} needs to know: its id, where the signaling server is, what it does with the
 * data channel, and the channel's label. Read from the environment by {@link #fromEnvironment}, with
 * the same variable names as the original command-line agent.
 *
 * @param id the id this agent registers, e.g. {@code alice}
 * @param signalingUrl the server's WebSocket endpoint for this id, e.g. {@code ws://localhost:8000/ws/alice}
 * @param mode what the agent does with the channel
 * @param label the data channel label an offering agent uses
 * @param iceTimeout how long a session may take from its offer to an open data channel before the agent
 *     gives up on it, says so and ends it
 */
public record AgentConfig(String id, URI signalingUrl, Mode mode, String label, Duration iceTimeout) {

    /** The label used when {@code DATA_CHANNEL_LABEL} is not set, as in the browser demo. */
    public static final String DEFAULT_LABEL = "mvp";

    /**
     * The {@link #iceTimeout} used when {@code ICE_TIMEOUT} is not set: long enough for checks between
     * two networks, short enough that a user is told before wondering.
     */
    public static final Duration DEFAULT_ICE_TIMEOUT = Duration.ofSeconds(15);

    /** What the agent does with an open data channel. */
    public enum Mode {
        /** Relay standard input to the channel and the channel to standard output. */
        CHAT
    }

    public AgentConfig {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(signalingUrl, "signalingUrl");
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(label, "label");
        Objects.requireNonNull(iceTimeout, "iceTimeout");
        if (iceTimeout.isNegative() || iceTimeout.isZero()) {
            throw new IllegalArgumentException("the ICE timeout must be positive, got " + iceTimeout);
        }
        if (id.isBlank()) {
            throw new IllegalArgumentException("the agent id is empty");
        }
        String scheme = signalingUrl.getScheme();
        if (!"ws".equals(scheme) && !"wss".equals(scheme)) {
            throw new IllegalArgumentException("the signaling URL must start with ws:// or wss://, got " + signalingUrl);
        }
        if (label.isEmpty()) {
            throw new IllegalArgumentException("the data channel label is empty");
        }
    }

    /** A configuration with the {@linkplain #DEFAULT_ICE_TIMEOUT default ICE timeout}. */
    public AgentConfig(String id, URI signalingUrl, Mode mode, String label) {
        this(id, signalingUrl, mode, label, DEFAULT_ICE_TIMEOUT);
    }

    /** A chat agent with the default label and ICE timeout. */
    public static AgentConfig chat(String id, URI signalingUrl) {
        return new AgentConfig(id, signalingUrl, Mode.CHAT, DEFAULT_LABEL);
    }

    /** This configuration with another {@link #iceTimeout}. */
    public AgentConfig withIceTimeout(Duration timeout) {
        return new AgentConfig(id, signalingUrl, mode, label, timeout);
    }

    /**
     * Reads {@code AGENT_ID} (required), {@code SIGNALING_URL} (required), {@code MODE} (default
     * {@code chat}), {@code DATA_CHANNEL_LABEL} (default {@code mvp}) and {@code ICE_TIMEOUT} (whole
     * seconds, default 15).
     *
     * <p>A {@code SIGNALING_URL} that ends in {@code /ws} or {@code /ws/} gets the agent id appended, so
     * {@code ws://localhost:8000/ws} and {@code ws://localhost:8000/ws/alice} both work for alice.
     *
     * @throws IllegalArgumentException naming the variable that is missing or wrong
     */
    public static AgentConfig fromEnvironment(Map<String, String> env) {
        String id = require(env, "AGENT_ID");
        String url = require(env, "SIGNALING_URL");
        String modeName = env.getOrDefault("MODE", "chat").trim();
        Mode mode;
        try {
            mode = Mode.valueOf(modeName.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("MODE=" + modeName + " is not supported; use MODE=chat");
        }
        String label = env.getOrDefault("DATA_CHANNEL_LABEL", DEFAULT_LABEL);
        if (label.isEmpty()) {
            label = DEFAULT_LABEL;
        }
        Duration iceTimeout = DEFAULT_ICE_TIMEOUT;
        String seconds = env.getOrDefault("ICE_TIMEOUT", "").trim();
        if (!seconds.isEmpty()) {
            try {
                iceTimeout = Duration.ofSeconds(Long.parseLong(seconds));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("ICE_TIMEOUT=" + seconds + " is not a whole number of seconds");
            }
            if (iceTimeout.isNegative() || iceTimeout.isZero()) {
                throw new IllegalArgumentException("ICE_TIMEOUT=" + seconds + " must be at least 1 (seconds)");
            }
        }
        URI uri;
        try {
            uri = new URI(withId(url.trim(), id));
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("SIGNALING_URL is not a valid URL: " + e.getMessage());
        }
        return new AgentConfig(id, uri, mode, label, iceTimeout);
    }

    private static String withId(String url, String id) {
        if (url.endsWith("/ws")) {
            return url + "/" + id;
        }
        if (url.endsWith("/ws/")) {
            return url + id;
        }
        return url;
    }

    private static String require(Map<String, String> env, String name) {
        String value = env.get(name);
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(name + " is not set");
        }
        return value.trim();
    }
}
