package dev.mvp.signaling.e2e;

import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Assumptions;

/**
 * Keeps WebRTC traffic on this machine. ICE sends packets to every address a peer announces, so the
 * tests that open real peer connections run only where loopback is the only interface up: inside
 * {@code unshare --net}, as {@code scripts/e2e.sh} runs them. Anywhere else they are skipped.
 */
final class LoopbackOnly {
    private LoopbackOnly() {}

    /** Skips the calling test class unless every interface that is up is a loopback interface. */
    static void assume() {
        List<String> others = interfacesUpOtherThanLoopback();
        Assumptions.assumeTrue(others.isEmpty(), () -> "WebRTC end-to-end tests run only where loopback is the"
                + " only network interface up (run scripts/e2e.sh, which uses a fresh network namespace);"
                + " interfaces up here: " + others);
    }

    static List<String> interfacesUpOtherThanLoopback() {
        try {
            return NetworkInterface.networkInterfaces()
                    .filter(LoopbackOnly::isUpAndNotLoopback)
                    .map(NetworkInterface::getName)
                    .sorted()
                    .collect(Collectors.toList());
        } catch (SocketException e) {
            return List.of("(cannot list interfaces: " + e.getMessage() + ")");
        }
    }

    private static boolean isUpAndNotLoopback(NetworkInterface nic) {
        try {
            return nic.isUp() && !nic.isLoopback();
        } catch (SocketException e) {
            return true;   // unknown: count it as a way out
        }
    }
}
