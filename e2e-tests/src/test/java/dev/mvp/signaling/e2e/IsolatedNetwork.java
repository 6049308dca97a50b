package dev.mvp.signaling.e2e;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;

/**
 * Keeps WebRTC traffic inside a network namespace. ICE sends packets to every address a peer
 * announces, so the tests that open real peer connections run only where no packet can leave: every
 * interface that is up is either loopback or one end of a veth pair whose other end is in the same
 * namespace, with IPv4 addresses from 198.51.100.0/24 (TEST-NET-2) only. {@code scripts/e2e.sh} sets
 * up exactly that. Anywhere else the tests are skipped, with the reason.
 */
final class IsolatedNetwork {
    /** The only range an interface other than loopback may hold (RFC 5737 TEST-NET-2). */
    static final String TEST_NET = "198.51.100.";

    private static final Pattern LINK = Pattern.compile("^\\d+:\\s+([^:@\\s]+)(?:@([^:\\s]+))?:");

    private IsolatedNetwork() {}

    /** Skips the calling test unless this process's network is isolated as described above. */
    static void assume() {
        List<String> problems = problems();
        Assumptions.assumeTrue(problems.isEmpty(), () -> "WebRTC end-to-end tests run only inside an isolated"
                + " network namespace (run scripts/e2e.sh: loopback plus a veth pair whose both ends stay in the"
                + " namespace, addressed from " + TEST_NET + "0/24); here: " + String.join("; ", problems));
    }

    /** Whether {@code address} is one the tests may see a candidate on: loopback or TEST-NET-2. */
    static boolean isInside(String address) {
        return address != null && (address.equals("127.0.0.1") || address.startsWith(TEST_NET));
    }

    static List<String> problems() {
        List<NetworkInterface> up = new ArrayList<>();
        try {
            for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                if (nic.isUp() && !nic.isLoopback()) {
                    up.add(nic);
                }
            }
        } catch (SocketException e) {
            return List.of("cannot list the network interfaces: " + e.getMessage());
        }
        if (up.isEmpty()) {
            return List.of();
        }
        Map<String, String> peers;
        try {
            peers = vethPeers();
        } catch (IOException e) {
            return List.of("cannot tell where the interfaces lead (" + e.getMessage() + ")");
        }
        List<String> problems = new ArrayList<>();
        for (NetworkInterface nic : up) {
            String name = nic.getName();
            String peer = peers.get(name);
            if (peer == null || !peers.containsKey(peer)) {
                problems.add(name + " is up and is not a veth whose other end is in this namespace");
                continue;
            }
            for (InetAddress a : Collections.list(nic.getInetAddresses())) {
                if (!(a instanceof Inet4Address) || !a.getHostAddress().startsWith(TEST_NET)) {
                    problems.add(name + " holds " + a.getHostAddress() + ", outside " + TEST_NET + "0/24");
                }
            }
        }
        return problems;
    }

    /**
     * Each link's peer as {@code ip -o link} names it: {@code vt0@vt1} when the other end is in this
     * namespace, {@code eth0@if12} (an index in another namespace) or no peer at all otherwise.
     */
    private static Map<String, String> vethPeers() throws IOException {
        Process ip = new ProcessBuilder("ip", "-o", "link", "show").redirectErrorStream(true).start();
        String output = new String(ip.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            if (!ip.waitFor(10, TimeUnit.SECONDS) || ip.exitValue() != 0) {
                ip.destroyForcibly();
                throw new IOException("ip -o link show failed: " + output.strip());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            ip.destroyForcibly();
            throw new IOException("interrupted");
        }
        Map<String, String> names = new HashMap<>();
        Map<String, String> links = new HashMap<>();
        for (String line : output.split("\n")) {
            Matcher m = LINK.matcher(line);
            if (m.find()) {
                names.put(m.group(1), m.group(2));
                if (line.contains(" link/ether ") && m.group(2) != null && !line.contains("link-netns")) {
                    links.put(m.group(1), m.group(2));
                }
            }
        }
        Map<String, String> result = new HashMap<>();
        links.forEach((name, peer) -> {
            if (names.containsKey(peer) && name.equals(links.get(peer))) {
                result.put(name, peer);
            }
        });
        return result;
    }
}
