package org.vestige.core.evidence;

/**
 * What one format's probe said about the evidence when the case was opened.
 *
 * @since 0.1
 */
public record FormatProbe(String formatId, String formatName, ProbeResult result) {
}
