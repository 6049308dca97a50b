package dev.mvp.signaling.server;

/**
 * A condition an embedder or a module adds to the server's readiness ({@code GET /readyz}), e.g. "cut off
 * from the backplane": while any check says no, {@code /readyz} answers 503 with the reasons, and an
 * orchestrator sends new clients elsewhere. A check never affects liveness ({@code GET /livez}): a process
 * that waits for a dependency to come back should be left running, not restarted.
 *
 * <p><b>Threading.</b> Called on the engines' I/O threads for each probe, possibly concurrently: read a flag
 * or a figure that is already there; never do I/O or block. A check that throws counts as not ready.
 */
@FunctionalInterface
public interface ReadinessCheck {
    /**
     * Whether the server should receive new clients, as far as this check knows.
     *
     * @return null when ready, otherwise why not, for the probe's body (e.g. {@code "cut off from Redis"})
     */
    String notReadyReason();
}
