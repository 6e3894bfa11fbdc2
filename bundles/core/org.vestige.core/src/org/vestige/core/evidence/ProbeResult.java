package org.vestige.core.evidence;

/**
 * What a format's probe said about a file: a confidence from 0 (not this format) to 100 (certain,
 * e.g. a signature and a consistent header) and the reason, in words an analyst can act on.
 *
 * @since 0.1
 */
public record ProbeResult(int confidence, String explanation) {

    /** Confidence of a format that recognised its signature and validated its header. */
    public static final int CERTAIN = 100;

    /** Confidence of a format that accepts anything (raw images) and has no signature to check. */
    public static final int FALLBACK = 10;

    public ProbeResult {
        if (confidence < 0 || confidence > 100) {
            throw new IllegalArgumentException("confidence must be 0..100: " + confidence);
        }
        if (explanation == null || explanation.isBlank()) {
            throw new IllegalArgumentException("a probe must explain itself");
        }
    }

    public static ProbeResult no(String why) {
        return new ProbeResult(0, why);
    }

    public static ProbeResult certain(String why) {
        return new ProbeResult(CERTAIN, why);
    }

    public boolean accepts() {
        return confidence > 0;
    }
}
