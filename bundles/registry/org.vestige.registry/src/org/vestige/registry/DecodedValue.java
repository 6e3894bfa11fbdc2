package org.vestige.registry;

import java.util.HexFormat;
import java.util.List;

/**
 * A value's data interpreted according to its type. Data that does not fit its type (a DWORD of 3
 * bytes, a string of odd length) is {@link Binary} with a note saying why, never a guess.
 *
 * @since 0.1
 */
public sealed interface DecodedValue {

    /** @return a one-line rendering for text output */
    String display();

    /** REG_NONE with no data. */
    record None() implements DecodedValue {
        @Override
        public String display() {
            return "";
        }
    }

    /** REG_SZ, REG_EXPAND_SZ or REG_LINK text (terminator removed). */
    record Text(String text) implements DecodedValue {
        @Override
        public String display() {
            return text;
        }
    }

    /** REG_MULTI_SZ strings. */
    record MultiText(List<String> strings) implements DecodedValue {
        public MultiText {
            strings = List.copyOf(strings);
        }

        @Override
        public String display() {
            return String.join(", ", strings);
        }
    }

    /** REG_DWORD, REG_DWORD_BIG_ENDIAN (width 4, value unsigned) or REG_QWORD (width 8). */
    record Number(long value, int width) implements DecodedValue {
        @Override
        public String display() {
            return width == 4 ? Long.toString(value) + " (0x" + Long.toHexString(value) + ")"
                    : Long.toUnsignedString(value) + " (0x" + Long.toHexString(value) + ")";
        }
    }

    /**
     * Raw bytes: REG_BINARY, resource lists, unknown types, or data that does not fit its type.
     *
     * @param bytes the data
     * @param note  why the data is shown raw when its type says otherwise, else {@code null}
     */
    record Binary(byte[] bytes, String note) implements DecodedValue {
        public Binary {
            bytes = bytes.clone();
        }

        @Override
        public byte[] bytes() {
            return bytes.clone();
        }

        @Override
        public String display() {
            String hex = HexFormat.of().formatHex(bytes, 0, Math.min(bytes.length, 64))
                    + (bytes.length > 64 ? "... (" + bytes.length + " bytes)" : "");
            return note == null ? hex : hex + " [" + note + "]";
        }
    }
}
