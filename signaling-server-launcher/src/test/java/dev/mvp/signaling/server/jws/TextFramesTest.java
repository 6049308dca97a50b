package dev.mvp.signaling.server.jws;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.util.List;
import org.java_websocket.drafts.Draft_6455;
import org.java_websocket.framing.Framedata;
import org.junit.jupiter.api.Test;

/** Our text frames are byte for byte what the library would have sent for the same text. */
class TextFramesTest {
    private static final Draft_6455 LIBRARY = new Draft_6455();

    private static byte[] library(String text) {
        List<Framedata> frames = LIBRARY.createFrames(text, false);
        return bytes(LIBRARY.createBinaryFrame(frames.get(0)));
    }

    private static byte[] bytes(ByteBuffer b) {
        byte[] out = new byte[b.remaining()];
        b.duplicate().get(out);
        return out;
    }

    @Test
    void everyLengthClassAndNonAsciiTextEncodeAsTheLibraryDoes() {
        for (int n : new int[] {0, 1, 125, 126, 127, 2_500, 65_535, 65_536, 70_000}) {
            String text = "a".repeat(n);
            assertThat(bytes(TextFrames.encode(text))).as("length " + n).isEqualTo(library(text));
        }
        for (String text : List.of("{\"sdp\":\"v=0 é 中文 🎉\"}", "x".repeat(40) + "€".repeat(30), "\u0000", "end\uD83D")) {
            assertThat(bytes(TextFrames.encode(text))).as(text).isEqualTo(library(text));
        }
    }

    @Test
    void theFrameIsReadyToWrite() {
        ByteBuffer frame = TextFrames.encode("hi");
        assertThat(frame.position()).isZero();
        assertThat(frame.remaining()).isEqualTo(4);
        assertThat(frame.get(0)).isEqualTo((byte) 0x81);
    }
}
