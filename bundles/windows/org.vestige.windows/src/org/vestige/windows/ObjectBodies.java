package org.vestige.windows;

import java.util.function.Function;

import org.vestige.core.layer.Layer;

/**
 * Finds an object's body in a pool block found by its tag: behind the {@code _POOL_HEADER} lie the optional
 * object headers its InfoMask announces (their sizes vary, so each 16-byte step is tried), then the
 * {@code _OBJECT_HEADER}, then the body, which a check of its first fields (type and size) recognises.
 */
final class ObjectBodies {

    /** Optional object headers span at most this much. */
    private static final int MAX_OPTIONAL_HEADERS = 0x100;

    private ObjectBodies() {
    }

    /**
     * Where a body was found, or why none was.
     *
     * @param body    the body's physical address, or -1
     * @param problem why the first place tried holds no such body, or null when one was found
     */
    record Found(long body, String problem) {
    }

    /**
     * @param physical    the physical address space
     * @param header      the physical address of the pool header
     * @param bodyOffset  the offset of the body in {@code _OBJECT_HEADER}
     * @param b           receives the body's bytes (its length is the body's size)
     * @param implausible why bytes are not such a body, or null when they are
     */
    static Found find(Layer physical, long header, int bodyOffset, byte[] b, Function<byte[], String> implausible) {
        String first = null;
        for (int optional = 0; optional <= MAX_OPTIONAL_HEADERS; optional += 16) {
            long body = header + 0x10 + optional + bodyOffset;
            if ((body & 0xfff) + b.length > 0x1000) {
                // a small pool block does not straddle a page
                break;
            }
            if (physical.read(body, b, 0, b.length) != b.length) {
                first = first == null ? "not in the image" : first;
                break;
            }
            String problem = implausible.apply(b);
            if (problem == null) {
                return new Found(body, null);
            }
            first = first == null ? problem : first;
        }
        return new Found(-1, first == null ? "crosses a page boundary" : first);
    }
}
