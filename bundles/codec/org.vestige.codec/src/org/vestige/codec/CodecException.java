package org.vestige.codec;

/**
 * Compressed data that cannot be decoded: truncated, corrupt, or not of the codec it was given to.
 * The message names the codec, what was wrong, and where: the offset in the compressed input
 * (relative to the start of the stream, not of the array) and the position reached in the output.
 *
 * @since 0.1
 */
public class CodecException extends Exception {

    private static final long serialVersionUID = 1L;

    private final String codec;
    private final long inputOffset;
    private final long outputPosition;

    /**
     * @param codec          the codec's name, e.g. "xpress"
     * @param inputOffset    offset in the compressed stream where the problem was found, or -1
     * @param outputPosition number of bytes decoded before the problem, or -1
     * @param problem        what was wrong, in a few words
     */
    public CodecException(String codec, long inputOffset, long outputPosition, String problem) {
        super(format(codec, inputOffset, outputPosition, problem));
        this.codec = codec;
        this.inputOffset = inputOffset;
        this.outputPosition = outputPosition;
    }

    /** As {@link #CodecException(String, long, long, String)}, keeping the cause (a library's own exception). */
    public CodecException(String codec, long inputOffset, long outputPosition, String problem, Throwable cause) {
        super(format(codec, inputOffset, outputPosition, problem), cause);
        this.codec = codec;
        this.inputOffset = inputOffset;
        this.outputPosition = outputPosition;
    }

    private static String format(String codec, long inputOffset, long outputPosition, String problem) {
        StringBuilder b = new StringBuilder(codec).append(": ").append(problem);
        if (inputOffset >= 0 || outputPosition >= 0) {
            b.append(" (");
            if (inputOffset >= 0) {
                b.append("input offset ").append(inputOffset).append(" (0x").append(Long.toHexString(inputOffset))
                        .append(')');
            }
            if (outputPosition >= 0) {
                b.append(inputOffset >= 0 ? ", " : "").append("output position ").append(outputPosition);
            }
            b.append(')');
        }
        return b.toString();
    }

    /** @return the name of the codec that rejected the data */
    public String codec() {
        return codec;
    }

    /** @return offset in the compressed stream where decoding failed, or -1 when not known */
    public long inputOffset() {
        return inputOffset;
    }

    /** @return bytes decoded before the failure, or -1 when not known */
    public long outputPosition() {
        return outputPosition;
    }
}
