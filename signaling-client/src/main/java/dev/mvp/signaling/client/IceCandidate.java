package dev.mvp.signaling.client;

import java.util.Objects;

/**
 * An ICE candidate as a browser's {@code RTCIceCandidate.toJSON()} writes it.
 *
 * @param candidate the candidate line, e.g. {@code candidate:3110102923 1 udp 2122260223 127.0.0.1 36322 typ host};
 *     an empty string marks the end of candidates for this media section
 * @param sdpMid the media stream id, or {@code null}
 * @param sdpMLineIndex the index of the media section, or {@code null}
 * @param usernameFragment the ICE username fragment, or {@code null}
 */
public record IceCandidate(String candidate, String sdpMid, Integer sdpMLineIndex, String usernameFragment) {

    /**
     * Checks the members.
     *
     * @param candidate the candidate line; empty for the end of candidates
     * @param sdpMid the media stream id, or {@code null}
     * @param sdpMLineIndex the index of the media section, or {@code null}
     * @param usernameFragment the ICE username fragment, or {@code null}
     * @throws NullPointerException if {@code candidate} is null
     * @throws IllegalArgumentException if {@code sdpMLineIndex} is negative
     */
    public IceCandidate {
        Objects.requireNonNull(candidate, "candidate (use \"\" for the end of candidates)");
        if (sdpMLineIndex != null && sdpMLineIndex < 0) {
            throw new IllegalArgumentException("sdpMLineIndex must not be negative, was " + sdpMLineIndex);
        }
    }

    /**
     * {@return a candidate without a username fragment}
     *
     * @param candidate the candidate line; empty for the end of candidates
     * @param sdpMid the media stream id, or {@code null}
     * @param sdpMLineIndex the index of the media section, or {@code null}
     */
    public static IceCandidate of(String candidate, String sdpMid, Integer sdpMLineIndex) {
        return new IceCandidate(candidate, sdpMid, sdpMLineIndex, null);
    }

    /** {@return whether this marks the end of candidates (an empty candidate line)} */
    public boolean isEndOfCandidates() {
        return candidate.isEmpty();
    }
}
