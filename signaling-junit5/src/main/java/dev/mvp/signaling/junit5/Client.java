package dev.mvp.signaling.junit5;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Asks a {@link SignalingServerExtension} for a {@code dev.mvp.signaling.client.SignalingClient} parameter that is
 * connected and registered as {@link #value()} before the method runs, and closed after the test (after the
 * class, for a {@code @BeforeAll} method).
 *
 * <pre>{@code
 * @Test
 * void bobGetsTheOffer(@Client("alice") SignalingClient alice, @Client("bob") SignalingClient bob) {
 *     alice.sendOffer("bob", sdp);
 *     assertEquals(sdp, bob.awaitOffer(Duration.ofSeconds(5)).sdp());
 * }
 * }</pre>
 *
 * The id belongs to the test, as with {@link SignalingServerExtension#url(String)}.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.PARAMETER)
public @interface Client {
    /**
     * The peer id to register.
     *
     * @return the peer id to register
     */
    String value();

    /**
     * The token to register with, for a server configured with an authenticator; empty: none.
     *
     * @return the token to register with, for a server configured with an authenticator; empty: none
     */
    String token() default "";
}
