package dev.mvp.signaling.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

/** Checks that no client thread outlives what should have stopped it. */
final class Threads {
    private Threads() {}

    /** Live threads of signaling clients and of the WebSocket library's client side. */
    static List<String> clientThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(Thread::isAlive)
                .map(Thread::getName)
                .filter(n -> n.startsWith("signaling-client-") || n.startsWith("WebSocketWriteThread")
                        || n.startsWith("WebSocketConnectReadThread") || n.startsWith("connectionLostChecker"))
                .sorted()
                .toList();
    }

    static void assertNoClientThreadLeft() {
        assertThat(clientThreads()).as("client threads still alive").isEmpty();
    }
}
