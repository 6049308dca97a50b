package dev.mvp.signaling.client;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The typed accessors read every payload form the server relays, and never throw on odd members. */
class SignalingMessageTest {

    @Test
    void sdpIsTheTextInBothForms() {
        assertThat(SignalingMessage.parse("{\"type\":\"offer\",\"sdp\":\"v=0\\r\\n\"}").sdp()).isEqualTo("v=0\r\n");
        assertThat(SignalingMessage.parse("{\"type\":\"offer\",\"sdp\":{\"type\":\"offer\",\"sdp\":\"v=0\\r\\n\"}}").sdp())
                .isEqualTo("v=0\r\n");
        assertThat(SignalingMessage.parse("{\"type\":\"answer\",\"sdp\":{\"sdp\":\"v=0\"}}").sdp()).isEqualTo("v=0");
        assertThat(SignalingMessage.parse("{\"type\":\"bye\"}").sdp()).isNull();
    }

    @Test
    void candidateIsReadFromTheObjectTheLineOrNull() {
        assertThat(SignalingMessage.parse("{\"type\":\"candidate\",\"candidate\":\"candidate:1 1 udp 9 ::1 5 typ host\"}")
                .candidate()).isEqualTo(new IceCandidate("candidate:1 1 udp 9 ::1 5 typ host", null, null, null));
        assertThat(SignalingMessage.parse("{\"type\":\"candidate\",\"candidate\":{\"candidate\":\"c\",\"sdpMid\":\"0\","
                + "\"sdpMLineIndex\":1,\"usernameFragment\":\"u\"}}").candidate())
                .isEqualTo(new IceCandidate("c", "0", 1, "u"));
        assertThat(SignalingMessage.parse("{\"type\":\"candidate\",\"candidate\":null}").candidate()).isNull();
        assertThat(SignalingMessage.parse("{\"type\":\"candidate\",\"candidate\":null}").isEndOfCandidates()).isTrue();
        assertThat(SignalingMessage.parse("{\"type\":\"candidate\",\"candidate\":\"\"}").isEndOfCandidates()).isTrue();
    }

    @Test
    void membersOfAnUnexpectedKindReadAsNullInsteadOfThrowing() {
        IceCandidate c = SignalingMessage.parse("{\"type\":\"candidate\",\"candidate\":{\"sdpMid\":0,"
                + "\"sdpMLineIndex\":-1,\"usernameFragment\":[]}}").candidate();
        assertThat(c).isEqualTo(new IceCandidate("", null, null, null));
        assertThat(SignalingMessage.parse("{\"type\":\"candidate\",\"candidate\":{\"candidate\":\"c\",\"sdpMLineIndex\":"
                + "1e99}}").candidate().sdpMLineIndex()).isNull();
        assertThat(SignalingMessage.parse("{\"type\":\"candidate\",\"candidate\":{\"candidate\":\"c\",\"sdpMLineIndex\":"
                + "2.0}}").candidate().sdpMLineIndex()).isEqualTo(2);
        assertThat(SignalingMessage.parse("{\"type\":\"offer\",\"sdp\":{\"sdp\":7}}").sdp()).isNull();
    }
}
