package dev.mvp.signaling.core;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Map;

/**
 * Decides whether a client may register an id. Called once per {@code register} message, on the
 * transport's thread for that connection, after the id was validated and before any state is
 * created for it; keep it fast (no blocking network calls).
 *
 * <p>An authenticator that throws is treated as a rejection with {@link ErrorCodes#INTERNAL_ERROR};
 * the exception is logged, never sent to the client.
 */
@FunctionalInterface
public interface Authenticator {

    /**
     * Decides whether a client may register the id it asks for.
     *
     * @param request the id, the token and the handshake the client presented
     * @return acceptance, or a rejection with the error code and message the client gets
     */
    AuthResult authenticate(AuthRequest request);

    /**
     * Lets every client register any id; no token is checked. The default.
     *
     * @return an authenticator that accepts everyone
     */
    static Authenticator allowAll() {
        return request -> AuthResult.accepted();
    }

    /**
     * Only the listed ids may register, each with its own token. Missing tokens are rejected with
     * {@link ErrorCodes#TOKEN_MISSING}, wrong ones and unknown ids with {@link ErrorCodes#TOKEN_INVALID}
     * (the two are not told apart, so the map cannot be probed for ids). Tokens are compared in
     * constant time.
     *
     * @param tokensById the allowed ids and their tokens; copied
     * @return an authenticator of these ids and tokens
     */
    static Authenticator staticTokens(Map<String, String> tokensById) {
        Map<String, byte[]> tokens = new java.util.HashMap<>();
        tokensById.forEach((id, token) -> tokens.put(id, token.getBytes(StandardCharsets.UTF_8)));
        byte[] nothing = new byte[0];
        return request -> {
            if (request.token() == null || request.token().isEmpty()) {
                return AuthResult.rejected(ErrorCodes.TOKEN_MISSING, "a token is required to register");
            }
            byte[] expected = tokens.getOrDefault(request.id(), nothing);
            byte[] given = request.token().getBytes(StandardCharsets.UTF_8);
            if (expected.length == 0 || !MessageDigest.isEqual(expected, given)) {
                return AuthResult.rejected(ErrorCodes.TOKEN_INVALID,
                        "the token is not valid for id '" + request.id() + "'");
            }
            return AuthResult.verified();
        };
    }
}
