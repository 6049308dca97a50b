/**
 * The server's plain-HTTP side, the same on every engine: {@code GET /}, {@code GET /status}, CORS, the
 * demo page, JSON errors and the decision whether an upgrade may become a WebSocket
 * ({@link dev.mvp.signaling.server.http.HttpService}), plus routes an embedder adds
 * ({@link dev.mvp.signaling.server.http.HttpHandler}, {@link dev.mvp.signaling.server.http.HttpResponse}).
 * Engines parse requests into {@link dev.mvp.signaling.server.http.HttpRequest} and write the bytes they
 * get back; nothing here touches a socket or names an engine.
 *
 * <p><b>Threading.</b> Everything here is immutable or thread-safe and is called on the engines' I/O
 * threads, so it stays cheap and never blocks.
 */
package dev.mvp.signaling.server.http;
