package dev.mvp.signaling.server.jws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mvp.signaling.server.WireConformanceTest;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.java_websocket.exceptions.InvalidFrameException;
import org.java_websocket.exceptions.LimitExceededException;
import org.java_websocket.framing.Framedata;
import org.junit.jupiter.api.Test;

/** What the Java-WebSocket engine's frame reading adds to the library's. */
class StrictDraftTest {
    private static final int CAP = 1024 * 1024;

    @Test
    void aFrameNotFullyArrivedCostsTheBytesThatArrivedNotItsDeclaredLength() throws Exception {
        StrictDraft draft = new StrictDraft(CAP);
        byte[] frame = WireConformanceTest.frame(0x81, new byte[CAP], true);
        assertThat(draft.translateFrame(ByteBuffer.wrap(frame, 0, 1000))).isEmpty();
        assertThat(draft.heldBytes()).isLessThan(4096);
        assertThat(draft.translateFrame(ByteBuffer.wrap(frame, 1000, frame.length - 1000))).hasSize(1);
        assertThat(draft.heldBytes()).isZero();
    }

    @Test
    void framesSplitAnywhereAreDecodedWhole() throws Exception {
        StrictDraft draft = new StrictDraft(CAP);
        byte[] one = WireConformanceTest.frame(0x81, "{\"type\":\"ping\"}".getBytes(StandardCharsets.UTF_8), true);
        byte[] two = WireConformanceTest.frame(0x89, new byte[] {1, 2, 3}, true);
        byte[] both = Arrays.copyOf(one, one.length + two.length);
        System.arraycopy(two, 0, both, one.length, two.length);
        List<Framedata> frames = new java.util.ArrayList<>();
        for (byte b : both) {
            frames.addAll(draft.translateFrame(ByteBuffer.wrap(new byte[] {b})));
        }
        assertThat(frames).extracting(f -> f.getOpcode().name()).containsExactly("TEXT", "PING");
    }

    @Test
    void aDeclaredLengthOverTheCapIsRefusedAtTheHeader() {
        StrictDraft draft = new StrictDraft(CAP);
        byte[] header = Arrays.copyOf(WireConformanceTest.frame(0x81, new byte[CAP + 1], true), 14);
        assertThatThrownBy(() -> draft.translateFrame(ByteBuffer.wrap(header))).isInstanceOf(LimitExceededException.class);
    }

    @Test
    void anUnmaskedFrameIsRefused() {
        StrictDraft draft = new StrictDraft(CAP);
        byte[] frame = WireConformanceTest.frame(0x81, new byte[] {'1'}, false);
        assertThatThrownBy(() -> draft.translateFrame(ByteBuffer.wrap(frame))).isInstanceOf(InvalidFrameException.class);
    }
}
