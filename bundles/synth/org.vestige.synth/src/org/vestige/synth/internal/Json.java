package org.vestige.synth.internal;

/** A small JSON text builder for the synthesizer's outputs (truth and ISF). */
public final class Json {

    private final StringBuilder out = new StringBuilder(1 << 16);
    private boolean first = true;

    public Json begin(char bracket) {
        out.append(bracket);
        first = true;
        return this;
    }

    public Json end(char bracket) {
        out.append(bracket);
        first = false;
        return this;
    }

    private void comma() {
        if (!first) {
            out.append(',');
        }
        first = false;
    }

    public Json key(String k) {
        comma();
        string(k);
        out.append(':');
        first = true;
        return this;
    }

    public Json value(String s) {
        comma();
        if (s == null) {
            out.append("null");
        } else {
            string(s);
        }
        return this;
    }

    public Json value(long v) {
        comma();
        out.append(v);
        return this;
    }

    public Json value(boolean v) {
        comma();
        out.append(v);
        return this;
    }

    public Json hex(long v) {
        return value("0x" + Long.toHexString(v));
    }

    public Json open(char bracket) {
        comma();
        return begin(bracket);
    }

    private void string(String s) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }

    @Override
    public String toString() {
        return out.toString();
    }
}
