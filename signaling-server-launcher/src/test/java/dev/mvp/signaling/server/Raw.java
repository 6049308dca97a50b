package dev.mvp.signaling.server;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;

/** Raw TCP for hostile-client tests: write exactly the bytes we choose, read until the server closes. */
public final class Raw {
    public static final int TIMEOUT_MS = 5_000;

    private Raw() {}

    public static Socket open(int port) throws IOException {
        Socket s = new Socket();
        s.setTcpNoDelay(true);
        s.setSoTimeout(TIMEOUT_MS);
        s.connect(new InetSocketAddress("127.0.0.1", port), TIMEOUT_MS);
        return s;
    }

    public static void write(Socket s, String text) throws IOException {
        s.getOutputStream().write(text.getBytes(StandardCharsets.ISO_8859_1));
        s.getOutputStream().flush();
    }

    /** Everything the server sends until it closes; throws if it does not close within the timeout. */
    public static String readToEnd(Socket s) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        InputStream in = s.getInputStream();
        byte[] buf = new byte[4096];
        try {
            int n;
            while ((n = in.read(buf)) >= 0) {
                out.write(buf, 0, n);
            }
        } catch (SocketTimeoutException e) {
            throw new AssertionError("the server did not close within " + TIMEOUT_MS + " ms; got so far: "
                    + out.toString(StandardCharsets.UTF_8), e);
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    /** One request on a fresh connection; the whole response. */
    public static String exchange(int port, String request) throws IOException {
        try (Socket s = open(port)) {
            write(s, request);
            return readToEnd(s);
        }
    }

    public static String upgrade(String path) {
        return "GET " + path + " HTTP/1.1\r\nHost: localhost\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n";
    }

    /** Reads an HTTP response head, up to and including the empty line. */
    public static String readHead(InputStream in) throws Exception {
        StringBuilder sb = new StringBuilder();
        while (!sb.toString().endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                break;
            }
            sb.append((char) b);
        }
        return sb.toString();
    }
}
