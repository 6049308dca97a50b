package dev.mvp.signaling.core;

/**
 * A step on the path of every routable message (offer, answer, candidate, bye and configured extra
 * types), after it was validated and before it is routed. Interceptors run in the order configured;
 * each decides what happens next through the {@link Chain}:
 *
 * <ul>
 *   <li>{@link Chain#proceed()} passes the message on (to the next interceptor, then to routing);</li>
 *   <li>{@link Chain#reject} answers the sender with an error frame and stops the message;</li>
 *   <li>calling {@code proceed()} later, from any thread, delays the message;</li>
 *   <li>calling neither drops it. The hub never drops a message silently by itself: an interceptor that
 *       drops one (a test fixture injecting a fault) takes that responsibility.</li>
 * </ul>
 *
 * <p>Called on the sender's transport thread. Call at most one of the chain's methods, at most once.
 * An interceptor that throws rejects the message with {@link ErrorCodes#INTERNAL_ERROR}.
 */
@FunctionalInterface
public interface MessageInterceptor {

    /**
     * Decides what happens to one routed message, by calling one of {@code chain}'s methods.
     *
     * @param message the message and its route
     * @param chain what to do with it
     */
    void intercept(Envelope message, Chain chain);

    /** What an interceptor does with a message. */
    interface Chain {
        /** Pass the message on. */
        void proceed();

        /**
         * Refuse the message; the sender receives {@code {"type":"error","code":code,...}}.
         *
         * @param code a kebab-case error code
         * @param message a human-readable reason for the sender
         */
        void reject(String code, String message);
    }
}
