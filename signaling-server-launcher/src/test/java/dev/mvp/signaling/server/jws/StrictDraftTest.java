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

    @Test
    void aWholeTextFrameIsUnmaskedToExactlyItsPayloadAtEveryLength() throws Exception {
        java.util.Random random = new java.util.Random(6455);
        for (int length : new int[] {0, 1, 3, 4, 7, 8, 9, 15, 16, 17, 125, 126, 127, 1000, 65535, 65536, 70001}) {
            byte[] payload = new byte[length];
            for (int i = 0; i < length; i++) {
                payload[i] = (byte) ('a' + random.nextInt(26));
            }
            List<Framedata> frames = new StrictDraft(CAP).translateFrame(ByteBuffer.wrap(WireConformanceTest.frame(0x81, payload, true)));
            assertThat(frames).hasSize(1);
            assertThat(frames.get(0).getOpcode().name()).isEqualTo("TEXT");
            assertThat(frames.get(0).isFin()).isTrue();
            ByteBuffer data = frames.get(0).getPayloadData();
            byte[] got = new byte[data.remaining()];
            data.get(got);
            assertThat(got).as("payload of %d bytes", length).isEqualTo(payload);
        }
    }

    @Test
    void framesOfOneReadKeepTheirOrderWhateverPathEachTakes() throws Exception {
        byte[] text = "{\"type\":\"offer\",\"sdp\":\"caf\u00e9\"}".getBytes(StandardCharsets.UTF_8);
        byte[][] parts = {
                WireConformanceTest.frame(0x81, text, true),
                WireConformanceTest.frame(0x89, new byte[] {9}, true),
                WireConformanceTest.frame(0x01, Arrays.copyOf(text, 5), true), // a fragmented message: the library's path
                WireConformanceTest.frame(0x80, Arrays.copyOfRange(text, 5, text.length), true),
                WireConformanceTest.frame(0x81, text, true)};
        java.io.ByteArrayOutputStream all = new java.io.ByteArrayOutputStream();
        for (byte[] p : parts) {
            all.writeBytes(p);
        }
        List<Framedata> frames = new StrictDraft(CAP).translateFrame(ByteBuffer.wrap(all.toByteArray()));
        assertThat(frames).extracting(f -> f.getOpcode().name() + (f.isFin() ? "" : "…"))
                .containsExactly("TEXT", "PING", "TEXT…", "CONTINUOUS", "TEXT");
        assertThat(StandardCharsets.UTF_8.decode(frames.get(4).getPayloadData()).toString()).contains("caf\u00e9");
    }
}
