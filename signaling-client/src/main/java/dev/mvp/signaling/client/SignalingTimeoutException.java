package dev.mvp.signaling.client;

/** A blocking call of {@link SignalingClient} did not get what it waited for in time. */
public class SignalingTimeoutException extends SignalingException {
    private static final long serialVersionUID = 1L;

    public SignalingTimeoutException(String message) {
        super(message);
    }
}
