package dev.mvp.signaling.client;

/**
 * A signaling operation failed. When the server refused something, {@link #error()} holds its error
 * frame; when the failure was local (no connection, a timeout, a closed client) it is {@code null}.
 */
public class SignalingException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final transient SignalingError error;

    /**
     * A local failure: no connection, a timeout, a closed client.
     *
     * @param message what failed
     */
    public SignalingException(String message) {
        this(message, null, null);
    }

    /**
     * A local failure caused by another exception.
     *
     * @param message what failed
     * @param cause the exception that caused it
     */
    public SignalingException(String message, Throwable cause) {
        this(message, null, cause);
    }

    /**
     * The server refused something; the message says what and why.
     *
     * @param message what was refused and why
     * @param error the server's error frame
     */
    public SignalingException(String message, SignalingError error) {
        this(message, error, null);
    }

    private SignalingException(String message, SignalingError error, Throwable cause) {
        super(message, cause);
        this.error = error;
    }

    /** {@return the server's error frame, or {@code null} when the failure was not the server's answer} */
    public SignalingError error() {
        return error;
    }

    /** {@return the server's error code, or {@code null} when the failure was not the server's answer} */
    public String code() {
        return error == null ? null : error.code();
    }
}
