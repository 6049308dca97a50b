package dev.mvp.signaling.core;

import java.util.Objects;

/**
 * An {@link Authenticator}'s decision.
 *
 * <p>{@link #verified()} means the authenticator checked the token and it proves the id: only such a
 * registration may take over a live id under {@link DuplicateIdPolicy#REPLACE_WITH_VERIFIED_TOKEN}.
 * {@link #accepted()} lets the client in without vouching for any token.
 */
public final class AuthResult {
    private static final AuthResult ACCEPTED = new AuthResult(true, false, null, null);
    private static final AuthResult VERIFIED = new AuthResult(true, true, null, null);

    private final boolean accepted;
    private final boolean tokenVerified;
    private final String code;
    private final String message;

    private AuthResult(boolean accepted, boolean tokenVerified, String code, String message) {
        this.accepted = accepted;
        this.tokenVerified = tokenVerified;
        this.code = code;
        this.message = message;
    }

    /**
     * Let the client register; no claim is made about its token.
     *
     * @return an acceptance
     */
    public static AuthResult accepted() {
        return ACCEPTED;
    }

    /**
     * Let the client register; its token was checked and proves the id.
     *
     * @return an acceptance of a verified token
     */
    public static AuthResult verified() {
        return VERIFIED;
    }

    /**
     * Refuse the registration. The client receives an error frame with this code and message, then
     * the connection is closed with {@link CloseCodes#POLICY_VIOLATION}.
     *
     * @param code a kebab-case error code, e.g. one of the {@code TOKEN_*} codes in {@link ErrorCodes}
     * @param message a human-readable reason; must not contain the token
     * @return a rejection
     */
    public static AuthResult rejected(String code, String message) {
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(message, "message");
        return new AuthResult(false, false, code, message);
    }

    /** {@return whether the client may register} */
    public boolean isAccepted() {
        return accepted;
    }

    /** {@return whether the client proved its id with a token (such a client may resume after a drop)} */
    public boolean isTokenVerified() {
        return tokenVerified;
    }

    /** {@return the rejection code, or {@code null} when accepted} */
    public String code() {
        return code;
    }

    /** {@return the rejection message, or {@code null} when accepted} */
    public String message() {
        return message;
    }

    @Override
    public String toString() {
        return accepted ? (tokenVerified ? "AuthResult[verified]" : "AuthResult[accepted]")
                : "AuthResult[rejected " + code + ": " + message + "]";
    }
}
