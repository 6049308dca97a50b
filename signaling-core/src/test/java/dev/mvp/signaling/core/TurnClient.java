package dev.mvp.signaling.core;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Arrays;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Just enough of a TURN client (RFC 5389 / RFC 5766, over UDP) to ask a server for an allocation with the
 * long-term credential mechanism, for the coturn test. Not a general STUN implementation.
 */
final class TurnClient {
    private static final int MAGIC_COOKIE = 0x2112A442;
    private static final int BINDING_REQUEST = 0x0001;
    private static final int BINDING_SUCCESS = 0x0101;
    private static final int ALLOCATE_REQUEST = 0x0003;
    private static final int ALLOCATE_SUCCESS = 0x0103;
    private static final int ALLOCATE_ERROR = 0x0113;
    private static final int ATTR_USERNAME = 0x0006;
    private static final int ATTR_MESSAGE_INTEGRITY = 0x0008;
    private static final int ATTR_ERROR_CODE = 0x0009;
    private static final int ATTR_REALM = 0x0014;
    private static final int ATTR_NONCE = 0x0015;
    private static final int ATTR_XOR_RELAYED_ADDRESS = 0x0016;
    private static final int ATTR_REQUESTED_TRANSPORT = 0x0019;
    private static final SecureRandom RANDOM = new SecureRandom();

    enum Status { ALLOCATED, UNAUTHORIZED, OTHER_ERROR, NO_ANSWER }

    /** What the server said: the outcome, the error code if any, and the relayed address on success. */
    record Result(Status status, int errorCode, String reason, InetSocketAddress relayed) {}

    private TurnClient() {}

    /** Whether a STUN Binding request gets a success answer within {@code timeout}. */
    static boolean binding(InetSocketAddress server, Duration timeout) throws IOException {
        try (DatagramSocket socket = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            byte[] answer = exchange(socket, server, message(BINDING_REQUEST, newTransactionId(), new byte[0]), timeout);
            return answer != null && type(answer) == BINDING_SUCCESS;
        }
    }

    /**
     * Allocate, as a browser's ICE agent would: first without credentials (the server answers 401 with a realm
     * and a nonce), then with the user name, realm, nonce and MESSAGE-INTEGRITY keyed by
     * {@code MD5(username:realm:password)}.
     */
    static Result allocate(InetSocketAddress server, String username, String password, Duration timeout)
            throws IOException {
        try (DatagramSocket socket = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            byte[] challenge = exchange(socket, server,
                    message(ALLOCATE_REQUEST, newTransactionId(), requestedTransportUdp()), timeout);
            if (challenge == null) {
                return new Result(Status.NO_ANSWER, 0, "no answer to the first Allocate", null);
            }
            byte[] realm = attribute(challenge, ATTR_REALM);
            byte[] nonce = attribute(challenge, ATTR_NONCE);
            if (type(challenge) != ALLOCATE_ERROR || errorCode(challenge) != 401 || realm == null || nonce == null) {
                return new Result(Status.OTHER_ERROR, errorCode(challenge), "unexpected first answer", null);
            }
            ByteArrayOutputStream attrs = new ByteArrayOutputStream();
            writeAttribute(attrs, ATTR_REQUESTED_TRANSPORT, requestedTransportUdp());
            writeAttribute(attrs, ATTR_USERNAME, username.getBytes(StandardCharsets.UTF_8));
            writeAttribute(attrs, ATTR_REALM, realm);
            writeAttribute(attrs, ATTR_NONCE, nonce);
            byte[] transaction = newTransactionId();
            byte[] key = md5(username + ":" + new String(realm, StandardCharsets.UTF_8) + ":" + password);
            byte[] unsigned = attrs.toByteArray();
            // MESSAGE-INTEGRITY covers the header with a length that already counts the 24-byte attribute.
            byte[] forMac = message(ALLOCATE_REQUEST, transaction, unsigned, unsigned.length + 24);
            writeAttribute(attrs, ATTR_MESSAGE_INTEGRITY, hmacSha1(key, forMac));
            byte[] answer = exchange(socket, server, message(ALLOCATE_REQUEST, transaction, attrs.toByteArray()), timeout);
            if (answer == null) {
                return new Result(Status.NO_ANSWER, 0, "no answer to the authenticated Allocate", null);
            }
            if (type(answer) == ALLOCATE_SUCCESS) {
                return new Result(Status.ALLOCATED, 0, "", xorAddress(attribute(answer, ATTR_XOR_RELAYED_ADDRESS)));
            }
            int code = errorCode(answer);
            return new Result(code == 401 ? Status.UNAUTHORIZED : Status.OTHER_ERROR, code, reason(answer), null);
        }
    }

    private static byte[] exchange(DatagramSocket socket, InetSocketAddress server, byte[] request, Duration timeout)
            throws IOException {
        socket.setSoTimeout((int) Math.max(1, timeout.toMillis()));
        socket.send(new DatagramPacket(request, request.length, server));
        byte[] buffer = new byte[2048];
        DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
        try {
            socket.receive(packet);
        } catch (SocketTimeoutException e) {
            return null;
        }
        return Arrays.copyOf(buffer, packet.getLength());
    }

    private static byte[] message(int type, byte[] transaction, byte[] attributes) {
        return message(type, transaction, attributes, attributes.length);
    }

    private static byte[] message(int type, byte[] transaction, byte[] attributes, int declaredLength) {
        ByteBuffer b = ByteBuffer.allocate(20 + attributes.length);
        b.putShort((short) type).putShort((short) declaredLength).putInt(MAGIC_COOKIE).put(transaction).put(attributes);
        return b.array();
    }

    private static void writeAttribute(ByteArrayOutputStream out, int type, byte[] value) {
        out.write(type >> 8);
        out.write(type);
        out.write(value.length >> 8);
        out.write(value.length);
        out.write(value, 0, value.length);
        for (int pad = (4 - value.length % 4) % 4; pad > 0; pad--) {
            out.write(0);
        }
    }

    private static byte[] requestedTransportUdp() {
        return new byte[] {17, 0, 0, 0};
    }

    private static byte[] newTransactionId() {
        byte[] id = new byte[12];
        RANDOM.nextBytes(id);
        return id;
    }

    private static int type(byte[] message) {
        return ((message[0] & 0xff) << 8) | (message[1] & 0xff);
    }

    /** The value of the first attribute of {@code type}, or null. */
    private static byte[] attribute(byte[] message, int type) {
        int length = ((message[2] & 0xff) << 8) | (message[3] & 0xff);
        int at = 20;
        while (at + 4 <= 20 + length && at + 4 <= message.length) {
            int t = ((message[at] & 0xff) << 8) | (message[at + 1] & 0xff);
            int len = ((message[at + 2] & 0xff) << 8) | (message[at + 3] & 0xff);
            if (t == type) {
                return Arrays.copyOfRange(message, at + 4, at + 4 + len);
            }
            at += 4 + len + (4 - len % 4) % 4;
        }
        return null;
    }

    private static int errorCode(byte[] message) {
        byte[] value = attribute(message, ATTR_ERROR_CODE);
        return value == null || value.length < 4 ? 0 : (value[2] & 0x7) * 100 + (value[3] & 0xff);
    }

    private static String reason(byte[] message) {
        byte[] value = attribute(message, ATTR_ERROR_CODE);
        return value == null || value.length < 4 ? "" : new String(value, 4, value.length - 4, StandardCharsets.UTF_8);
    }

    private static InetSocketAddress xorAddress(byte[] value) throws IOException {
        if (value == null || value.length < 8 || value[1] != 0x01) {
            return null; // only IPv4 is asked for here
        }
        int port = (((value[2] & 0xff) << 8) | (value[3] & 0xff)) ^ (MAGIC_COOKIE >>> 16);
        int address = ByteBuffer.wrap(value, 4, 4).getInt() ^ MAGIC_COOKIE;
        return new InetSocketAddress(InetAddress.getByAddress(ByteBuffer.allocate(4).putInt(address).array()), port);
    }

    private static byte[] md5(String text) {
        try {
            return MessageDigest.getInstance("MD5").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] hmacSha1(byte[] key, byte[] data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA1");
            mac.init(new SecretKeySpec(key, "HmacSHA1"));
            return mac.doFinal(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
