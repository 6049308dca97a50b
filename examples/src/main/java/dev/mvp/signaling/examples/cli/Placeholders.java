package dev.mvp.signaling.examples.cli;

import dev.mvp.signaling.client.IceCandidate;

/**
 * Stand-ins for what a WebRTC stack would produce. They are shaped like the real thing so the server
 * and the peer treat them as such, and they say what they are so nobody mistakes them for it.
 */
final class Placeholders {
    private Placeholders() {}

    /** An SDP for a data channel, with no ICE credentials or fingerprint behind it. */
    static String sdp(String id, String label) {
        return "v=0\r\n"
                + "o=- 0 1 IN IP4 127.0.0.1\r\n"
                + "s=placeholder from " + id + " (signaling-only example, data channel '" + label + "')\r\n"
                + "t=0 0\r\n"
                + "m=application 9 UDP/DTLS/SCTP webrtc-datachannel\r\n"
                + "c=IN IP4 0.0.0.0\r\n"
                + "a=mid:0\r\n"
                + "a=sctp-port:5000\r\n";
    }

    /** A host candidate on the discard port, which no ICE agent listens on. */
    static IceCandidate candidate(String id) {
        return new IceCandidate("candidate:1 1 udp 2122260223 127.0.0.1 9 typ host", "0", 0, null);
    }
}
