package dev.mvp.signaling.bench.client;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;

/**
 * One WebSocket client connection of a {@link ClientLoop}: non-blocking connect, the HTTP upgrade,
 * then frames. It answers pings and close frames itself. Not thread-safe: everything happens on the
 * loop's thread.
 */
public final class ClientConn {
    private static final byte[] SWITCHING = "HTTP/1.1 101".getBytes(StandardCharsets.ISO_8859_1);
    private static final int HEAD_LIMIT = 8192;

    private enum State { NEW, CONNECTING, UPGRADING, OPEN, CLOSING, CLOSED }

    private final ClientLoop loop;
    private final InetSocketAddress address;
    private final String path;
    private final ClientHandler handler;
    private final ArrayDeque<ByteBuffer> out = new ArrayDeque<>();
    private SocketChannel channel;
    private SelectionKey key;
    private State state = State.NEW;
    /** Bytes of an incomplete frame (or response head) carried over to the next read; null when none. */
    private ByteBuffer partial;
    private boolean closeSent;
    /** Anything the scenario wants to keep with the connection. */
    public Object attachment;

    ClientConn(ClientLoop loop, InetSocketAddress address, String path, ClientHandler handler) {
        this.loop = loop;
        this.address = address;
        this.path = path;
        this.handler = handler;
    }

    public String path() {
        return path;
    }

    public boolean isOpen() {
        return state == State.OPEN;
    }

    public ClientLoop loop() {
        return loop;
    }

    void start() {
        try {
            channel = SocketChannel.open();
            channel.configureBlocking(false);
            channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
            state = State.CONNECTING;
            if (channel.connect(address)) {
                key = channel.register(loop.selector(), SelectionKey.OP_READ, this);
                upgrade();
            } else {
                key = channel.register(loop.selector(), SelectionKey.OP_CONNECT, this);
            }
        } catch (IOException e) {
            fail();
        }
    }

    private void upgrade() throws IOException {
        state = State.UPGRADING;
        String request = "GET " + path + " HTTP/1.1\r\n"
                + "Host: " + address.getHostString() + ":" + address.getPort() + "\r\n"
                + "Upgrade: websocket\r\n"
                + "Connection: Upgrade\r\n"
                + "Sec-WebSocket-Key: c2lnbmFsaW5nLWJlbmNoIQ==\r\n"
                + "Sec-WebSocket-Version: 13\r\n\r\n";
        send(ByteBuffer.wrap(request.getBytes(StandardCharsets.ISO_8859_1)));
    }

    /** Called by the loop when the key is ready. */
    void ready(SelectionKey k) {
        try {
            if (!k.isValid()) {
                fail();
                return;
            }
            if (k.isConnectable()) {
                channel.finishConnect();
                k.interestOps(SelectionKey.OP_READ);
                upgrade();
                return;
            }
            if (k.isWritable()) {
                flush();
            }
            if (k.isValid() && k.isReadable()) {
                read();
            }
        } catch (IOException | java.nio.channels.CancelledKeyException e) {
            fail();
        }
    }

    /**
     * Sends bytes (a frame from {@link WsFrames}, shared or not: a duplicate is written). Must be called
     * on the loop's thread; a frame that does not fit the socket buffer waits in order.
     */
    public void send(ByteBuffer frame) {
        if (state == State.CLOSED || channel == null) {
            return;
        }
        ByteBuffer b = frame.duplicate();
        try {
            if (out.isEmpty()) {
                channel.write(b);
                if (!b.hasRemaining()) {
                    return;
                }
                key.interestOps(SelectionKey.OP_READ | SelectionKey.OP_WRITE);
            }
            out.add(b);
        } catch (IOException e) {
            fail();
        }
    }

    private void flush() throws IOException {
        while (!out.isEmpty()) {
            ByteBuffer b = out.peek();
            channel.write(b);
            if (b.hasRemaining()) {
                return;
            }
            out.poll();
        }
        key.interestOps(SelectionKey.OP_READ);
    }

    /** Starts the close handshake with 1000; the connection ends when the server answers. */
    public void close() {
        if (state == State.OPEN) {
            state = State.CLOSING;
            closeSent = true;
            send(WsFrames.close(1000));
        } else if (state != State.CLOSED && state != State.CLOSING) {
            end(1006);
        }
    }

    /** Drops the connection at once, without a close handshake. */
    public void abort() {
        end(1006);
    }

    private void read() throws IOException {
        ByteBuffer rb = loop.readBuffer;
        while (true) {
            rb.clear();
            int n = channel.read(rb);
            if (n < 0) {
                end(1006);
                return;
            }
            if (n == 0) {
                return;
            }
            rb.flip();
            ByteBuffer data;
            if (partial != null) {
                if (partial.remaining() < rb.remaining()) {
                    ByteBuffer bigger = ByteBuffer.allocate(Math.max(partial.capacity() * 2, partial.position() + rb.remaining()));
                    partial.flip();
                    bigger.put(partial);
                    partial = bigger;
                }
                partial.put(rb);
                partial.flip();
                data = partial;
            } else {
                data = rb;
            }
            consume(data);
            if (state == State.CLOSED) {
                return;
            }
            if (data.hasRemaining()) {
                ByteBuffer keep = ByteBuffer.allocate(Math.max(4096, data.remaining() * 2));
                keep.put(data);
                partial = keep;
            } else {
                partial = null;
            }
            if (n < rb.capacity()) {
                return; // the socket had no more
            }
        }
    }

    /** Handles every complete unit (response head, frames) in {@code data}, leaving the rest. */
    private void consume(ByteBuffer data) throws IOException {
        if (state == State.UPGRADING) {
            int end = headEnd(data);
            if (end < 0) {
                if (data.remaining() > HEAD_LIMIT) {
                    end(1002);
                }
                return;
            }
            if (!startsWith(data, SWITCHING)) {
                end(1002);
                return;
            }
            data.position(end);
            state = State.OPEN;
            handler.onOpen(this);
        }
        while (state == State.OPEN || state == State.CLOSING) {
            long len = WsFrames.frameLength(data);
            if (len < 0 || len > data.remaining()) {
                return;
            }
            int start = data.position();
            int opcode = WsFrames.opcode(data);
            int header = WsFrames.headerLength(data);
            int stop = start + (int) len;
            ByteBuffer payload = data.duplicate();
            payload.position(start + header).limit(stop);
            data.position(stop);
            switch (opcode) {
                case WsFrames.OP_TEXT -> {
                    if (state == State.OPEN) {
                        handler.onText(this, payload);
                    }
                }
                case WsFrames.OP_PING -> {
                    byte[] p = new byte[payload.remaining()];
                    payload.get(p);
                    send(WsFrames.frame(WsFrames.OP_PONG, p));
                }
                case WsFrames.OP_CLOSE -> {
                    int code = payload.remaining() >= 2 ? payload.getShort(payload.position()) & 0xFFFF : 1005;
                    if (!closeSent) {
                        closeSent = true;
                        send(WsFrames.close(code == 1005 ? 1000 : code));
                    }
                    end(code);
                    return;
                }
                default -> { } // binary, pong, continuation: not used by the protocol
            }
        }
    }

    private void end(int code) {
        if (state == State.CLOSED) {
            return;
        }
        state = State.CLOSED;
        partial = null;
        out.clear();
        if (key != null) {
            key.cancel();
        }
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // closed anyway
            }
        }
        handler.onClose(this, code);
    }

    private void fail() {
        end(1006);
    }

    /** The UTF-8 text of a payload given to {@link ClientHandler#onText}. */
    public static String text(ByteBuffer payload) {
        byte[] b = new byte[payload.remaining()];
        payload.duplicate().get(b);
        return new String(b, StandardCharsets.UTF_8);
    }

    private static int headEnd(ByteBuffer b) {
        for (int i = b.position(); i + 3 < b.limit(); i++) {
            if (b.get(i) == '\r' && b.get(i + 1) == '\n' && b.get(i + 2) == '\r' && b.get(i + 3) == '\n') {
                return i + 4;
            }
        }
        return -1;
    }

    private static boolean startsWith(ByteBuffer b, byte[] prefix) {
        if (b.remaining() < prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if (b.get(b.position() + i) != prefix[i]) {
                return false;
            }
        }
        return true;
    }

    @Override
    public String toString() {
        return "ClientConn[" + path + ", " + state + "]";
    }
}
