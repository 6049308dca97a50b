package dev.mvp.signaling.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mvp.signaling.bench.client.WsFrames;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ClientFramingTest {

    @Test
    void textFrameIsMaskedWithAZeroKeySoThePayloadIsTheText() {
        ByteBuffer f = WsFrames.text("hi");
        assertThat(f.get(0) & 0xFF).isEqualTo(0x81);
        assertThat(f.get(1) & 0xFF).isEqualTo(0x80 | 2);
        assertThat(f.getInt(2)).isZero();
        assertThat(new byte[] {f.get(6), f.get(7)}).isEqualTo("hi".getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void lengthsOver125UseTheExtendedField() {
        ByteBuffer f = WsFrames.text("x".repeat(2500));
        assertThat(f.get(1) & 0x7F).isEqualTo(126);
        assertThat(f.getShort(2) & 0xFFFF).isEqualTo(2500);
        assertThat(f.remaining()).isEqualTo(2 + 2 + 4 + 2500);
    }

    @Test
    void serverFrameLengthIsKnownOnlyOnceTheHeaderIsComplete() {
        ByteBuffer server = ByteBuffer.allocate(4 + 300);
        server.put((byte) 0x81).put((byte) 126).putShort((short) 300).put(new byte[300]).flip();
        assertThat(WsFrames.frameLength(server)).isEqualTo(304);
        assertThat(WsFrames.headerLength(server)).isEqualTo(4);
        assertThat(WsFrames.opcode(server)).isEqualTo(WsFrames.OP_TEXT);
        assertThat(WsFrames.frameLength(ByteBuffer.wrap(new byte[] {(byte) 0x81, 126, 1}))).isEqualTo(-1);
    }

    @Test
    void churnReadsTheTypeEvenAfterAStampedFrom() {
        assertThat(ChurnScenario.typeOf("{\"from\":\"a\",\"type\":\"offer\",\"to\":\"b\"}")).isEqualTo("offer");
        assertThat(ChurnScenario.typeOf("{}")).isEmpty();
    }

    @Test
    void paddedSdpIsAboutTwoAndAHalfKilobytesAndTheCandidateAQuarter() {
        assertThat(Messages.sdp().length()).isBetween(Messages.SDP_TARGET, Messages.SDP_TARGET + 200);
        assertThat(Messages.candidate("a1", "b1").length()).isBetween(200, 300);
    }
}
