package dev.mvp.signaling.core;

import java.util.Map;

/**
 * A snapshot of a hub's counters. Each number is exact at the moment it was read; the numbers are not
 * read atomically together.
 *
 * @param connections open connections, registered or not
 * @param registeredPeers connections that completed {@code register}
 * @param messagesRouted messages handed to their recipient since the hub started
 * @param heldMessages messages waiting for a recipient that is not connected
 * @param suspendedPeers ids kept for clients that dropped and may resume
 * @param errorsByCode error frames sent since the hub started, by code, sorted by code
 */
public record HubStats(int connections, int registeredPeers, long messagesRouted, int heldMessages,
                       int suspendedPeers, Map<String, Long> errorsByCode) {

    /**
     * Copies the error counts into an unmodifiable map sorted by code.
     *
     * @param errorsByCode error frames sent since the hub started, by code
     * @param connections open connections, registered or not
     * @param registeredPeers connections that completed {@code register}
     * @param messagesRouted messages handed to their recipient since the hub started
     * @param heldMessages messages waiting for a recipient that is not connected
     * @param suspendedPeers ids kept for clients that dropped and may resume
     */
    public HubStats {
        errorsByCode = java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(errorsByCode));
    }

    /**
     * {@return error frames sent with {@code code} since the hub started}
     *
     * @param code an error code, e.g. {@code peer-not-found}
     */
    public long errors(String code) {
        return errorsByCode.getOrDefault(code, 0L);
    }
}
