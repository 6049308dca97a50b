package dev.mvp.signaling.examples.agent;

/** The agent could not reach the signaling server or was refused by it. */
public class SignalingException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String code;

    public SignalingException(String message) {
        this(null, message);
    }

    public SignalingException(String code, String message) {
        super(code == null ? message : code + ": " + message);
        this.code = code;
    }

    /** The server's error code, or {@code null} when the failure was not an error frame. */
    public String code() {
        return code;
    }
}
