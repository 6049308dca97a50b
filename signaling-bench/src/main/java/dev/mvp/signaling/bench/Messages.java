package dev.mvp.signaling.bench;

/**
 * The frames the load clients send, shaped like the recorded Chromium session: an SDP offer/answer
 * padded to about 2.5 KB with a typical audio section (the recorded data-channel offer alone is about
 * 0.8 KB, an audio/video offer several KB), and a trickled host candidate of about 230 bytes. Each
 * carries {@code from}, as browsers in the recording do, so both servers forward the same bytes.
 */
final class Messages {
    /** The SDP length the relay scenario aims for, in characters. */
    static final int SDP_TARGET = 2500;

    private static final String RECORDED_OFFER = String.join("\r\n",
            "v=0",
            "o=- 1257395794361390534 2 IN IP4 127.0.0.1",
            "s=-",
            "t=0 0",
            "a=group:BUNDLE 0 1",
            "a=extmap-allow-mixed",
            "a=msid-semantic: WMS",
            "m=application 9 UDP/DTLS/SCTP webrtc-datachannel",
            "c=IN IP4 0.0.0.0",
            "a=ice-ufrag:LJ/+",
            "a=ice-pwd:aWqwPhZjTxI3N9tDL2frJt3w",
            "a=ice-options:trickle",
            "a=fingerprint:sha-256 F3:37:FA:EC:61:7B:E5:4B:9F:C0:33:C2:4C:CD:AB:3A:D6:45:95:8F:91:BB:00:06:FA:D2:71:5C:E9:5B:8B:95",
            "a=setup:actpass",
            "a=mid:0",
            "a=sctp-port:5000",
            "a=max-message-size:262144",
            "");

    private static final String AUDIO_SECTION = String.join("\r\n",
            "m=audio 9 UDP/TLS/RTP/SAVPF 111 63 9 0 8 13 110 126",
            "c=IN IP4 0.0.0.0",
            "a=rtcp:9 IN IP4 0.0.0.0",
            "a=ice-ufrag:LJ/+",
            "a=ice-pwd:aWqwPhZjTxI3N9tDL2frJt3w",
            "a=ice-options:trickle",
            "a=fingerprint:sha-256 F3:37:FA:EC:61:7B:E5:4B:9F:C0:33:C2:4C:CD:AB:3A:D6:45:95:8F:91:BB:00:06:FA:D2:71:5C:E9:5B:8B:95",
            "a=setup:actpass",
            "a=mid:1",
            "a=extmap:1 urn:ietf:params:rtp-hdrext:ssrc-audio-level",
            "a=extmap:2 http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time",
            "a=extmap:3 http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01",
            "a=extmap:4 urn:ietf:params:rtp-hdrext:sdes:mid",
            "a=sendrecv",
            "a=msid:- 5b1e9c44-7f0d-4a8e-9a51-0d5a2f0c6b71",
            "a=rtcp-mux",
            "a=rtpmap:111 opus/48000/2",
            "a=rtcp-fb:111 transport-cc",
            "a=fmtp:111 minptime=10;useinbandfec=1",
            "a=rtpmap:63 red/48000/2",
            "a=fmtp:63 111/111",
            "a=rtpmap:9 G722/8000",
            "a=rtpmap:0 PCMU/8000",
            "a=rtpmap:8 PCMA/8000",
            "a=rtpmap:13 CN/8000",
            "a=rtpmap:110 telephone-event/48000",
            "a=rtpmap:126 telephone-event/8000",
            "");

    private static final String CANDIDATE_LINE =
            "candidate:3110102923 1 udp 2122260223 127.0.0.1 36322 typ host generation 0 ufrag LJ/+ network-id 1 network-cost 50";

    private Messages() {}

    /** The padded SDP (raw text, CRLF line ends), at least {@link #SDP_TARGET} characters. */
    static String sdp() {
        StringBuilder sb = new StringBuilder(RECORDED_OFFER).append(AUDIO_SECTION);
        for (int ssrc = 1001; sb.length() < SDP_TARGET; ssrc++) {
            sb.append("a=ssrc:").append(ssrc).append(" cname:Yq2mUe8c1Lr0vF7w\r\n");
            sb.append("a=ssrc:").append(ssrc).append(" msid:- 5b1e9c44-7f0d-4a8e-9a51-0d5a2f0c6b71\r\n");
        }
        return sb.toString();
    }

    static String register(String id) {
        return "{\"type\":\"register\",\"id\":\"" + id + "\"}";
    }

    /** An offer or answer ({@code type}) from {@code from} to {@code to} carrying {@link #sdp()}. */
    static String description(String type, String from, String to) {
        return "{\"type\":\"" + type + "\",\"from\":\"" + from + "\",\"to\":\"" + to + "\",\"sdp\":\""
                + jsonEscape(sdp()) + "\"}";
    }

    static String candidate(String from, String to) {
        return "{\"type\":\"candidate\",\"from\":\"" + from + "\",\"to\":\"" + to + "\",\"candidate\":{\"candidate\":\""
                + CANDIDATE_LINE + "\",\"sdpMid\":\"0\",\"sdpMLineIndex\":0,\"usernameFragment\":\"LJ/+\"}}";
    }

    static String bye(String from, String to) {
        return "{\"type\":\"bye\",\"from\":\"" + from + "\",\"to\":\"" + to + "\"}";
    }

    private static String jsonEscape(String s) {
        return s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\r", "\\r").replace("\n", "\\n");
    }
}
