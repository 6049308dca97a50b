package dev.mvp.signaling.core;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.Objects;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signed tokens that bind a peer id to an expiry, with a secret shared between the service that issues
 * them and the signaling server that checks them. Any language with HMAC-SHA256 can issue one:
 *
 * <pre>
 * token     = "v1." + b64(id) + "." + expiry + "." + b64(HMAC-SHA256(secret, "v1." + b64(id) + "." + expiry))
 * b64       = base64url without padding (RFC 4648 §5), of the UTF-8 bytes
 * expiry    = seconds since the Unix epoch, decimal, after which the token is refused
 * </pre>
 *
 * <p>For example, in a shell: {@code p="v1.$(printf alice | basenc --base64url | tr -d =).1767225600";
 * echo "$p.$(printf %s "$p" | openssl dgst -sha256 -hmac "$SECRET" -binary | basenc --base64url | tr -d =)"}.
 *
 * <p>Only that exact spelling is accepted: a token whose base64url parts carry padding ({@code =}), or
 * stray low bits in their last character, decodes to the same bytes but is refused as
 * {@code token-invalid}, so one credential has one text.
 *
 * <p>The {@link #authenticator()} refuses a missing token with {@code token-missing}, a malformed or
 * forged one with {@code token-invalid}, an expired one with {@code token-expired}, and one issued for
 * another id with {@code token-id-mismatch}; a good one is {@linkplain AuthResult#verified() verified}.
 * Thread-safe.
 */
public final class HmacTokens {
    private static final String VERSION = "v1";
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder B64_DECODE = Base64.getUrlDecoder();

    private final SecretKeySpec key;
    private final Clock clock;

    private HmacTokens(byte[] secret, Clock clock) {
        this.key = new SecretKeySpec(secret.clone(), "HmacSHA256");
        this.clock = clock;
    }

    /**
     * {@return tokens signed with {@code secret}}
     *
     * @param secret at least 32 bytes, e.g. 32 random bytes
     */
    public static HmacTokens withSecret(byte[] secret) {
        Objects.requireNonNull(secret, "secret");
        if (secret.length < 32) {
            throw new IllegalArgumentException("the HMAC secret must be at least 32 bytes, was " + secret.length);
        }
        return new HmacTokens(secret, Clock.systemUTC());
    }

    /**
     * {@return the same tokens, checked against {@code clock}: for tests}
     *
     * @param clock the clock tokens are checked against
     */
    public HmacTokens withClock(Clock clock) {
        return new HmacTokens(key.getEncoded(), Objects.requireNonNull(clock, "clock"));
    }

    /**
     * {@return a token for {@code id} that is valid until {@code expiresAt}}
     *
     * @param id the peer id the token is for
     * @param expiresAt when the token stops being valid
     */
    public String issue(String id, Instant expiresAt) {
        if (!PeerIds.isValid(id)) {
            throw new IllegalArgumentException("invalid peer id: " + PeerIds.problem(id));
        }
        String payload = VERSION + "." + b64(id) + "." + expiresAt.getEpochSecond();
        return payload + "." + B64.encodeToString(sign(payload));
    }

    /** {@return an authenticator that accepts exactly the tokens this issues} */
    public Authenticator authenticator() {
        return request -> check(request.id(), request.token());
    }

    AuthResult check(String id, String token) {
        if (token == null || token.isEmpty()) {
            return AuthResult.rejected(ErrorCodes.TOKEN_MISSING, "a token is required to register");
        }
        String[] parts = token.split("\\.", -1);
        if (parts.length != 4 || !parts[0].equals(VERSION) || !isDigits(parts[2])) {
            return invalid();
        }
        // Only the canonical form is accepted: base64url without padding, no stray bits. The signature is
        // compared as the text this class would issue, so a padded or otherwise re-spelt copy of a good
        // token is refused rather than verified as a second string for the same credential.
        String payload = parts[0] + "." + parts[1] + "." + parts[2];
        byte[] expected = B64.encodeToString(sign(payload)).getBytes(StandardCharsets.US_ASCII);
        if (!MessageDigest.isEqual(expected, parts[3].getBytes(StandardCharsets.UTF_8))) {
            return invalid();
        }
        String tokenId = canonicalB64Text(parts[1]);
        if (tokenId == null) {
            return invalid();
        }
        long expiry = Long.parseLong(parts[2]);
        if (clock.instant().getEpochSecond() >= expiry) {
            return AuthResult.rejected(ErrorCodes.TOKEN_EXPIRED, "the token expired at "
                    + Instant.ofEpochSecond(expiry));
        }
        if (!tokenId.equals(id)) {
            return AuthResult.rejected(ErrorCodes.TOKEN_ID_MISMATCH, "the token was issued for another id");
        }
        return AuthResult.verified();
    }

    private static AuthResult invalid() {
        return AuthResult.rejected(ErrorCodes.TOKEN_INVALID, "the token is malformed or its signature is wrong");
    }

    private byte[] sign(String payload) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            return mac.doFinal(payload.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available in this JVM", e);
        }
    }

    /** The UTF-8 text {@code part} encodes, or null unless {@code part} is exactly how {@link #b64} writes it. */
    private static String canonicalB64Text(String part) {
        byte[] bytes;
        try {
            bytes = B64_DECODE.decode(part);
        } catch (IllegalArgumentException e) {
            return null;
        }
        String text = new String(bytes, StandardCharsets.UTF_8);
        return b64(text).equals(part) ? text : null;
    }

    private static String b64(String s) {
        return B64.encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    private static boolean isDigits(String s) {
        if (s.isEmpty() || s.length() > 18) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) < '0' || s.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }

    @Override
    public String toString() {
        return "HmacTokens[" + VERSION + ", HMAC-SHA256]"; // never the secret
    }
}
