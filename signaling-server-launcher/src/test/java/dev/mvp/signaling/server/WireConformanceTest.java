package dev.mvp.signaling.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * RFC 6455 conformance, one table for every engine: each case is the raw frames a client sends after a
 * successful register, and what the server must answer: the close code it fails the connection with, or the
 * text frame it answers a valid exchange with. Modelled on the cases an Autobahn-style suite checks (framing,
 * reserved bits and opcodes, control frames, fragmentation, UTF-8, close codes and reasons, limits).
 */
public class WireConformanceTest {
    private static final int PROTOCOL_ERROR = 1002;
    private static final int INVALID_DATA = 1007;
    private static final int TOO_BIG = 1009;
    /** What {@link #closeCode} reports for a close frame without a code. */
    private static final int NO_STATUS = 1005;
    private static final String PING = "{\"type\":\"ping\",\"mid\":1}";
    private static final String PONG = "{\"type\":\"pong\",\"mid\":1}";

    private SignalingServer server;

    @BeforeEach
    void start() {
        server = Servers.start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    /** What the client sends: a list of raw frames, written back to back. */
    record Wire(byte[] bytes) {
        static Wire of(byte[]... frames) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            for (byte[] f : frames) {
                out.writeBytes(f);
            }
            return new Wire(out.toByteArray());
        }
    }

    static Stream<Arguments> violations() {
        byte[] ping = PING.getBytes(StandardCharsets.UTF_8);
        byte[] half1 = Arrays.copyOfRange(ping, 0, 10);
        byte[] half2 = Arrays.copyOfRange(ping, 10, ping.length);
        return Stream.of(
                failsWith("an unmasked frame", PROTOCOL_ERROR, frame(0x81, ping, false)),
                failsWith("RSV1 without an extension", PROTOCOL_ERROR, frame(0x80 | 0x40 | 0x1, ping, true)),
                failsWith("RSV2", PROTOCOL_ERROR, frame(0x80 | 0x20 | 0x1, ping, true)),
                failsWith("RSV3", PROTOCOL_ERROR, frame(0x80 | 0x10 | 0x1, ping, true)),
                failsWith("reserved data opcode 3", PROTOCOL_ERROR, frame(0x83, ping, true)),
                failsWith("reserved data opcode 7", PROTOCOL_ERROR, frame(0x87, ping, true)),
                failsWith("reserved control opcode 0xB", PROTOCOL_ERROR, frame(0x8B, new byte[0], true)),
                failsWith("reserved control opcode 0xF", PROTOCOL_ERROR, frame(0x8F, new byte[0], true)),
                failsWith("a ping with 126 bytes of payload", PROTOCOL_ERROR, frame(0x89, new byte[126], true)),
                failsWith("a fragmented ping", PROTOCOL_ERROR, frame(0x09, new byte[4], true)),
                failsWith("a continuation with nothing to continue", PROTOCOL_ERROR, frame(0x80, ping, true)),
                failsWith("a new text frame inside a fragmented message", PROTOCOL_ERROR,
                        frame(0x01, half1, true), frame(0x81, half2, true)),
                failsWith("a binary frame inside a fragmented text message", PROTOCOL_ERROR,
                        frame(0x01, half1, true), frame(0x82, half2, true)),
                failsWith("close code 5000", PROTOCOL_ERROR, close(5000, "")),
                failsWith("close code 999", PROTOCOL_ERROR, close(999, "")),
                failsWith("close code 1004 (reserved)", PROTOCOL_ERROR, close(1004, "")),
                failsWith("close code 1005 (never on the wire)", PROTOCOL_ERROR, close(1005, "")),
                failsWith("close code 1006 (never on the wire)", PROTOCOL_ERROR, close(1006, "")),
                failsWith("close code 1015 (never on the wire)", PROTOCOL_ERROR, close(1015, "")),
                failsWith("close code 2999 (unassigned)", PROTOCOL_ERROR, close(2999, "")),
                failsWith("a close payload of one byte", PROTOCOL_ERROR, frame(0x88, new byte[] {0x03}, true)),
                failsWith("a close reason that is not UTF-8", INVALID_DATA,
                        frame(0x88, concat(new byte[] {0x03, (byte) 0xE8}, new byte[] {(byte) 0xC3, 0x28}), true)),
                failsWith("a text frame that is not UTF-8", INVALID_DATA,
                        frame(0x81, new byte[] {'"', (byte) 0xC3, 0x28, '"'}, true)),
                failsWith("invalid UTF-8 split across fragments", INVALID_DATA,
                        frame(0x01, new byte[] {'"', (byte) 0xF0, (byte) 0x90}, true),
                        frame(0x80, new byte[] {(byte) 0x28, (byte) 0x8C, '"'}, true)),
                failsWith("a text frame over the frame cap", TOO_BIG, frame(0x81, new byte[1024 * 1024 + 1], true)),
                failsWith("a fragmented message over the cap in small fragments", TOO_BIG,
                        fragments(16, 64 * 1024, 1)),
                failsWith("a fragmented message over the cap that never ends", TOO_BIG,
                        Arrays.copyOf(fragments(17, 64 * 1024, 1), 17)));
    }

    static Stream<Arguments> validExchanges() {
        byte[] ping = PING.getBytes(StandardCharsets.UTF_8);
        byte[] a = Arrays.copyOfRange(ping, 0, 5);
        byte[] b = Arrays.copyOfRange(ping, 5, 12);
        byte[] c = Arrays.copyOfRange(ping, 12, ping.length);
        byte[] emoji = "{\"type\":\"ping\",\"mid\":\"\uD83D\uDE00\"}".getBytes(StandardCharsets.UTF_8);
        int split = indexOf(emoji, (byte) 0xF0) + 2; // inside the four-byte sequence
        return Stream.of(
                answers("a message in three fragments", PONG, frame(0x01, a, true), frame(0x00, b, true),
                        frame(0x80, c, true)),
                answers("a ping between fragments", PONG, frame(0x01, a, true), frame(0x89, new byte[] {1, 2}, true),
                        frame(0x00, b, true), frame(0x80, c, true)),
                answers("a four-byte UTF-8 sequence split across fragments", "{\"type\":\"pong\",\"mid\":\"\uD83D\uDE00\"}",
                        frame(0x01, Arrays.copyOfRange(emoji, 0, split), true),
                        frame(0x80, Arrays.copyOfRange(emoji, split, emoji.length), true)),
                answers("an empty fragment at the end", PONG, frame(0x01, ping, true), frame(0x80, new byte[0], true)),
                answers("a ping with 125 bytes", PONG, frame(0x89, new byte[125], true), frame(0x81, ping, true)));
    }

    static Stream<Arguments> cleanCloses() {
        return Stream.of(
                echoes("1000 with a reason", 1000, close(1000, "bye now")),
                echoes("1001", 1001, close(1001, "")),
                echoes("3000 (registered for libraries)", 3000, close(3000, "")),
                echoes("4999 (private use)", 4999, close(4999, "private")),
                echoes("an empty close (answered as a normal closure)", 1000, frame(0x88, new byte[0], true)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("violations")
    void protocolViolationsFailTheConnectionWithTheRightCode(Wire wire, int expectedCode) throws Exception {
        try (RawWs ws = registered()) {
            send(ws, wire);
            assertThat(ws.readUntilClose()).isEqualTo(expectedCode);
            assertThat(ws.socket.getInputStream().read()).as("the server closes TCP after its close frame").isEqualTo(-1);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("validExchanges")
    void validFramingIsAccepted(Wire wire, String expectedText) throws Exception {
        try (RawWs ws = registered()) {
            ws.socket.getOutputStream().write(wire.bytes());
            ws.socket.getOutputStream().flush();
            assertThat(nextText(ws)).isEqualTo(expectedText);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cleanCloses")
    void validClosesAreEchoed(Wire wire, int expectedCode) throws Exception {
        try (RawWs ws = registered()) {
            ws.socket.getOutputStream().write(wire.bytes());
            ws.socket.getOutputStream().flush();
            assertThat(closeCode(ws)).isEqualTo(expectedCode);
        }
    }

    /** The code of the next close frame, skipping everything else; 1005 for a close frame without one. */
    private static int closeCode(RawWs ws) throws IOException {
        while (true) {
            RawWs.Frame f = ws.read();
            if (f.opcode() == 0x8) {
                return f.payload().length == 0 ? NO_STATUS : f.closeCode();
            }
        }
    }

    /**
     * Writes on another thread: a server that fails the connection early may stop reading, and the test must
     * still read its close frame. The writer ends with the socket.
     */
    private static void send(RawWs ws, Wire wire) {
        Thread writer = new Thread(() -> {
            try {
                ws.socket.getOutputStream().write(wire.bytes());
                ws.socket.getOutputStream().flush();
            } catch (IOException e) {
                // the server closed first: what it answered is what the test reads
            }
        }, "conformance-writer");
        writer.setDaemon(true);
        writer.start();
    }

    private RawWs registered() throws Exception {
        RawWs ws = RawWs.open(server.port(), "/ws/alice", 0);
        ws.sendText("{\"type\":\"register\",\"id\":\"alice\"}");
        assertThat(nextText(ws)).isEqualTo("{\"type\":\"registered\",\"id\":\"alice\"}");
        return ws;
    }

    /** The next text frame, skipping pongs. */
    private static String nextText(RawWs ws) throws IOException {
        while (true) {
            RawWs.Frame f = ws.read();
            if (f.opcode() == 0x1) {
                return f.text();
            }
            assertThat(f.opcode()).as("a pong, not a close, before the text").isEqualTo(0xA);
        }
    }

    private static Arguments failsWith(String name, int code, byte[]... frames) {
        return Arguments.of(Named.of(name, Wire.of(frames)), code);
    }

    private static Arguments answers(String name, String text, byte[]... frames) {
        return Arguments.of(Named.of(name, Wire.of(frames)), text);
    }

    private static Arguments echoes(String name, int code, byte[]... frames) {
        return Arguments.of(Named.of(name, Wire.of(frames)), code);
    }

    /**
     * {@code count} fragments of {@code size} bytes, then a final one of {@code last} bytes: with 16 of 64 KiB and
     * one more byte, one byte over the 1 MiB cap, and nothing left to send once the server sees it.
     */
    private static byte[][] fragments(int count, int size, int last) {
        byte[][] frames = new byte[count + 1][];
        for (int i = 0; i <= count; i++) {
            byte[] payload = new byte[i == count ? last : size];
            Arrays.fill(payload, (byte) 'a');
            frames[i] = frame(i == 0 ? 0x01 : i == count ? 0x80 : 0x00, payload, true);
        }
        return frames;
    }

    private static byte[] close(int code, String reason) {
        return frame(0x88, concat(new byte[] {(byte) (code >> 8), (byte) code}, reason.getBytes(StandardCharsets.UTF_8)), true);
    }

    /**
     * One frame: {@code first} is the whole first byte (FIN, RSV bits, opcode), then the length, the mask key
     * when {@code masked}, and the payload.
     *
     * @param first the first byte
     * @param payload the payload, unmasked
     * @param masked whether to mask it, as a client must
     * @return the frame's bytes
     */
    public static byte[] frame(int first, byte[] payload, boolean masked) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(payload.length + 14);
        out.write(first);
        int maskBit = masked ? 0x80 : 0;
        if (payload.length < 126) {
            out.write(maskBit | payload.length);
        } else if (payload.length < 65536) {
            out.write(maskBit | 126);
            out.write(payload.length >>> 8);
            out.write(payload.length);
        } else {
            out.write(maskBit | 127);
            out.writeBytes(ByteBuffer.allocate(8).putLong(payload.length).array());
        }
        byte[] mask = {0x37, (byte) 0xFA, 0x21, 0x3D};
        if (masked) {
            out.writeBytes(mask);
        }
        for (int i = 0; i < payload.length; i++) {
            out.write(masked ? payload[i] ^ mask[i & 3] : payload[i]);
        }
        return out.toByteArray();
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] all = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }

    private static int indexOf(byte[] bytes, byte b) {
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] == b) {
                return i;
            }
        }
        return -1;
    }
}
