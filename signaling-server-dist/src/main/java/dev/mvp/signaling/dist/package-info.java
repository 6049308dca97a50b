/**
 * The runnable jar's own classes: the slf4j provider that writes one JSON object per log line
 * ({@code LOG_FORMAT=json}). Everything else in the jar comes from the other modules.
 */
package dev.mvp.signaling.dist;
