package dev.mvp.signaling.core;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Time-limited TURN credentials in the "TURN REST API" scheme that coturn implements with
 * {@code use-auth-secret} / {@code static-auth-secret}: the user name is {@code <expiry>:<peer id>} (expiry in
 * Unix seconds) and the password is {@code base64(HMAC-SHA1(secret, username))}. The TURN server checks the
 * password with the same shared secret and refuses a user name whose expiry has passed, so the signaling
 * server hands out credentials without talking to the TURN server at all.
 *
 * <p>Immutable and thread-safe.
 */
public final class TurnRestCredentials implements IceServers {
    /** How long credentials are valid unless {@link #ttl} says otherwise. */
    public static final Duration DEFAULT_TTL = Duration.ofHours(1);

    private final List<String> urls;
    private final byte[] secret;
    private final Duration ttl;
    private final Clock clock;

    private TurnRestCredentials(List<String> urls, byte[] secret, Duration ttl, Clock clock) {
        this.urls = urls;
        this.secret = secret;
        this.ttl = ttl;
        this.clock = clock;
    }

    /**
     * Credentials for the TURN servers at {@code urls} that share {@code secret}, valid for {@link #DEFAULT_TTL}.
     *
     * @param secret the secret shared with the TURN servers ({@code static-auth-secret} in coturn)
     * @param urls the TURN servers' {@code turn:}/{@code turns:} URLs
     * @return the credentials
     * @throws IllegalArgumentException if the secret is empty or a URL is not a {@code turn:}/{@code turns:} URL
     */
    public static TurnRestCredentials of(String secret, List<String> urls) {
        Objects.requireNonNull(secret, "secret");
        if (secret.isEmpty()) {
            throw new IllegalArgumentException("the TURN secret must not be empty");
        }
        List<String> copy = List.copyOf(urls);
        new IceServer(copy, null, null, null); // validates the URLs
        for (String url : copy) {
            if (url.startsWith("stun:")) {
                throw new IllegalArgumentException("'" + url + "' is a STUN URL; credentials are for turn: and turns: URLs");
            }
        }
        return new TurnRestCredentials(copy, secret.getBytes(StandardCharsets.UTF_8), DEFAULT_TTL, Clock.systemUTC());
    }

    /**
     * {@return the same credentials with another lifetime}
     *
     * @param ttl how long credentials stay valid; at least one second
     */
    public TurnRestCredentials ttl(Duration ttl) {
        Objects.requireNonNull(ttl, "ttl");
        if (ttl.compareTo(Duration.ofSeconds(1)) < 0) {
            throw new IllegalArgumentException("the TURN credential TTL must be at least 1 s, was " + ttl);
        }
        return new TurnRestCredentials(urls, secret, ttl, clock);
    }

    /**
     * {@return the same credentials reading time from {@code clock}} For tests.
     *
     * @param clock the clock that says when credentials are minted
     */
    public TurnRestCredentials clock(Clock clock) {
        return new TurnRestCredentials(urls, secret, ttl, Objects.requireNonNull(clock, "clock"));
    }

    /** {@return how long credentials stay valid} */
    public Duration ttl() {
        return ttl;
    }

    @Override
    public List<IceServer> forPeer(String id) {
        Instant expiry = clock.instant().plus(ttl);
        String username = expiry.getEpochSecond() + ":" + id;
        return List.of(new IceServer(urls, username, password(secret, username), Instant.ofEpochSecond(expiry.getEpochSecond())));
    }

    /** {@code base64(HMAC-SHA1(secret, username))}, the password the TURN server expects for {@code username}. */
    static String password(byte[] secret, String username) {
        try {
            Mac mac = Mac.getInstance("HmacSHA1");
            mac.init(new SecretKeySpec(secret, "HmacSHA1"));
            return Base64.getEncoder().encodeToString(mac.doFinal(username.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA1 is missing from this JVM", e); // every JVM must have it
        }
    }

    @Override
    public String toString() {
        return "TurnRestCredentials" + urls + "[ttl=" + ttl + "]"; // never the secret
    }
}
