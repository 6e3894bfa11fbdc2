package org.vestige.layer.crashdump;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** The shared decoding of a {@code CONTEXT} record: named little-endian slots over its bytes. */
abstract class RegisterSet {

    /** Where one register lives in the record. */
    record Slot(int offset, int width) {
    }

    private final byte[] raw;

    RegisterSet(byte[] raw) {
        this.raw = raw;
    }

    abstract Map<String, Slot> slots();

    public long register(String name) {
        Slot slot = slots().get(name.toLowerCase(Locale.ROOT));
        if (slot == null) {
            throw new IllegalArgumentException("no register '" + name + "' in a " + getClass().getSimpleName()
                    + "; known: " + slots().keySet());
        }
        return read(slot);
    }

    public Map<String, Long> registers() {
        Map<String, Long> out = new LinkedHashMap<>();
        slots().forEach((name, slot) -> out.put(name, read(slot)));
        return Collections.unmodifiableMap(out);
    }

    public byte[] raw() {
        return raw.clone();
    }

    private long read(Slot slot) {
        ByteBuffer b = ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN);
        return switch (slot.width()) {
            case 2 -> Short.toUnsignedLong(b.getShort(slot.offset()));
            case 4 -> Integer.toUnsignedLong(b.getInt(slot.offset()));
            default -> b.getLong(slot.offset());
        };
    }

    /** Lays {@code values} (register name to value) out in a zeroed record of {@code size} bytes. */
    static byte[] encode(int size, Map<String, Slot> slots, Map<String, Long> values) {
        ByteBuffer b = ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
        values.forEach((name, value) -> {
            Slot slot = slots.get(name.toLowerCase(Locale.ROOT));
            if (slot == null) {
                throw new IllegalArgumentException("no register '" + name + "'; known: " + slots.keySet());
            }
            switch (slot.width()) {
                case 2 -> b.putShort(slot.offset(), (short) (long) value);
                case 4 -> b.putInt(slot.offset(), (int) (long) value);
                default -> b.putLong(slot.offset(), value);
            }
        });
        return b.array();
    }

    @Override
    public boolean equals(Object o) {
        return o != null && o.getClass() == getClass() && Arrays.equals(raw, ((RegisterSet) o).raw);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(raw);
    }
}
