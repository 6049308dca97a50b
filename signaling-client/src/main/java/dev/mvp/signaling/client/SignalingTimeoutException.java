package dev.mvp.signaling.client;

/** A blocking call of {@link SignalingClient} did not get what it waited for in time. */
public class SignalingTimeoutException extends SignalingException {
    private static final long serialVersionUID = 1L;

    /**
     * A blocking call timed out.
     *
     * @param message what was awaited and what came instead
     */
    public SignalingTimeoutException(String message) {
        super(message);
    }
}
