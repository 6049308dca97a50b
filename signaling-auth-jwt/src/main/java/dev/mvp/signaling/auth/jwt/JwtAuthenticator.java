package dev.mvp.signaling.auth.jwt;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.MACVerifier;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.mvp.signaling.core.AuthRequest;
import dev.mvp.signaling.core.AuthResult;
import dev.mvp.signaling.core.Authenticator;
import dev.mvp.signaling.core.ErrorCodes;
import java.security.KeyFactory;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.Objects;

/**
 * Accepts a {@code register} whose token is a signed JWT for the id being registered.
 *
 * <p>What a token must be, exactly:
 * <ul>
 *   <li>a JWS in compact form, signed with the one algorithm this authenticator was built for
 *       ({@code HS256} with a shared secret, or {@code RS256} with the issuer's RSA key); any other
 *       {@code alg}, {@code none} included, is refused;</li>
 *   <li>claim {@code sub} (or the claim named by {@link Builder#idClaim}) equal to the peer id;</li>
 *   <li>claim {@code exp} present and in the future; {@code nbf}, if present, in the past (both with
 *       the configured clock skew, default 30 s);</li>
 *   <li>{@code iss} and {@code aud} as configured, when configured.</li>
 * </ul>
 * Refusals: no token {@code token-missing}; bad form, signature, algorithm, issuer, audience, a missing
 * {@code exp} or an early {@code nbf} {@code token-invalid}; past {@code exp} {@code token-expired};
 * another id {@code token-id-mismatch}. An accepted token is {@linkplain AuthResult#verified() verified}.
 * Thread-safe.
 */
public final class JwtAuthenticator implements Authenticator {
    private final JWSAlgorithm algorithm;
    private final JWSVerifier verifier;
    private final String idClaim;
    private final String issuer;
    private final String audience;
    private final Duration skew;
    private final Clock clock;

    private JwtAuthenticator(Builder b) {
        this.algorithm = b.algorithm;
        this.verifier = b.verifier;
        this.idClaim = b.idClaim;
        this.issuer = b.issuer;
        this.audience = b.audience;
        this.skew = b.skew;
        this.clock = b.clock;
    }

    /**
     * {@return a builder for tokens signed with HMAC-SHA256 and {@code secret} (at least 32 bytes)}
     *
     * @param secret the shared key, at least 32 bytes
     */
    public static Builder hs256(byte[] secret) {
        Objects.requireNonNull(secret, "secret");
        if (secret.length < 32) {
            throw new IllegalArgumentException("the HS256 secret must be at least 32 bytes, was " + secret.length);
        }
        try {
            return new Builder(JWSAlgorithm.HS256, new MACVerifier(secret.clone()));
        } catch (JOSEException e) {
            throw new IllegalArgumentException("unusable HS256 secret: " + e.getMessage(), e);
        }
    }

    /**
     * {@return a builder for tokens signed with RSA-SHA256 by the holder of the private half of {@code publicKey}}
     *
     * @param publicKey the key that verifies signatures
     */
    public static Builder rs256(RSAPublicKey publicKey) {
        return new Builder(JWSAlgorithm.RS256, new RSASSAVerifier(Objects.requireNonNull(publicKey, "publicKey")));
    }

    /**
     * {@return a builder like {@link #rs256(RSAPublicKey)}, with the key as PEM text
     * ({@code -----BEGIN PUBLIC KEY-----})}
     *
     * @param publicKeyPem the key as PEM text
     */
    public static Builder rs256(String publicKeyPem) {
        String base64 = publicKeyPem.replaceAll("-----(BEGIN|END) PUBLIC KEY-----", "").replaceAll("\\s", "");
        try {
            byte[] der = Base64.getDecoder().decode(base64);
            RSAPublicKey key = (RSAPublicKey) KeyFactory.getInstance("RSA").generatePublic(new X509EncodedKeySpec(der));
            return rs256(key);
        } catch (IllegalArgumentException | java.security.GeneralSecurityException | ClassCastException e) {
            throw new IllegalArgumentException("not an RSA public key in PEM (X.509 SubjectPublicKeyInfo) form", e);
        }
    }

    @Override
    public AuthResult authenticate(AuthRequest request) {
        String token = request.token();
        if (token == null || token.isEmpty()) {
            return AuthResult.rejected(ErrorCodes.TOKEN_MISSING, "a token is required to register");
        }
        JWTClaimsSet claims;
        try {
            SignedJWT jwt = SignedJWT.parse(token);
            if (!algorithm.equals(jwt.getHeader().getAlgorithm())) {
                return invalid("the token must be signed with " + algorithm);
            }
            if (!jwt.verify(verifier)) {
                return invalid("the token's signature is wrong");
            }
            claims = jwt.getJWTClaimsSet();
        } catch (ParseException | JOSEException | IllegalStateException e) {
            return invalid("the token is not a signed JWT");
        }
        Instant now = clock.instant();
        Date exp = claims.getExpirationTime();
        if (exp == null) {
            return invalid("the token has no 'exp' claim");
        }
        if (!now.isBefore(exp.toInstant().plus(skew))) {
            return AuthResult.rejected(ErrorCodes.TOKEN_EXPIRED, "the token expired at " + exp.toInstant());
        }
        Date nbf = claims.getNotBeforeTime();
        if (nbf != null && now.plus(skew).isBefore(nbf.toInstant())) {
            return invalid("the token is not valid before " + nbf.toInstant());
        }
        if (issuer != null && !issuer.equals(claims.getIssuer())) {
            return invalid("the token was not issued by the expected issuer");
        }
        if (audience != null && (claims.getAudience() == null || !claims.getAudience().contains(audience))) {
            return invalid("the token is not meant for this server");
        }
        Object id = claims.getClaim(idClaim);
        if (!(id instanceof String) || !id.equals(request.id())) {
            return AuthResult.rejected(ErrorCodes.TOKEN_ID_MISMATCH, "the token's '" + idClaim
                    + "' is not the id being registered");
        }
        return AuthResult.verified();
    }

    private static AuthResult invalid(String why) {
        return AuthResult.rejected(ErrorCodes.TOKEN_INVALID, why);
    }

    @Override
    public String toString() {
        return "JwtAuthenticator[" + algorithm + ", id claim " + idClaim
                + (issuer == null ? "" : ", iss " + issuer) + (audience == null ? "" : ", aud " + audience) + "]";
    }

    /** Sets the optional checks, then {@link #build()}. */
    public static final class Builder {
        private final JWSAlgorithm algorithm;
        private final JWSVerifier verifier;
        private String idClaim = "sub";
        private String issuer;
        private String audience;
        private Duration skew = Duration.ofSeconds(30);
        private Clock clock = Clock.systemUTC();

        private Builder(JWSAlgorithm algorithm, JWSVerifier verifier) {
            this.algorithm = algorithm;
            this.verifier = verifier;
        }

        /**
         * The claim that carries the peer id. Default: {@code sub}.
         *
         * @param claim the claim's name
         * @return this builder
         */
        public Builder idClaim(String claim) {
            this.idClaim = Objects.requireNonNull(claim, "claim");
            return this;
        }

        /**
         * Require this {@code iss}. Default: not checked.
         *
         * @param issuer the required issuer
         * @return this builder
         */
        public Builder issuer(String issuer) {
            this.issuer = Objects.requireNonNull(issuer, "issuer");
            return this;
        }

        /**
         * Require this value among {@code aud}. Default: not checked.
         *
         * @param audience a value {@code aud} must contain
         * @return this builder
         */
        public Builder audience(String audience) {
            this.audience = Objects.requireNonNull(audience, "audience");
            return this;
        }

        /**
         * Tolerance for clocks that disagree, applied to {@code exp} and {@code nbf}. Default: 30 s.
         *
         * @param skew the tolerance; not negative
         * @return this builder
         */
        public Builder clockSkew(Duration skew) {
            if (skew.isNegative()) {
                throw new IllegalArgumentException("clock skew must not be negative, was " + skew);
            }
            this.skew = skew;
            return this;
        }

        /**
         * The clock tokens are checked against. Default: the system clock.
         *
         * @param clock the clock tokens are checked against
         * @return this builder
         */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** {@return an authenticator with these settings} */
        public JwtAuthenticator build() {
            return new JwtAuthenticator(this);
        }
    }
}
