package org.vestige.registry;

import java.util.Optional;

import org.vestige.registry.internal.LittleEndian;

/**
 * A key security cell ("sk"): a self-relative security descriptor shared by the keys that reference it.
 * The sk cells of a hive form a circular doubly-linked list.
 *
 * @param cellOffset     hive offset of the cell
 * @param flink          next sk cell in the list
 * @param blink          previous sk cell in the list
 * @param referenceCount number of keys using this descriptor
 * @param descriptor     the self-relative SECURITY_DESCRIPTOR bytes
 * @since 0.1
 */
public record SecurityCell(long cellOffset, long flink, long blink, long referenceCount, byte[] descriptor) {

    public SecurityCell {
        descriptor = descriptor.clone();
    }

    @Override
    public byte[] descriptor() {
        return descriptor.clone();
    }

    /** @return the owner SID in its string form (S-1-5-32-544), if the descriptor names one */
    public Optional<String> ownerSid() {
        return sidAt(4);
    }

    /** @return the group SID in its string form, if the descriptor names one */
    public Optional<String> groupSid() {
        return sidAt(8);
    }

    /** @return the descriptor's control flags (SE_DACL_PRESENT 0x4, SE_SELF_RELATIVE 0x8000, ...) */
    public int control() {
        return descriptor.length >= 4 ? LittleEndian.u16(descriptor, 2) : 0;
    }

    private Optional<String> sidAt(int field) {
        if (descriptor.length < 20) {
            return Optional.empty();
        }
        long at = LittleEndian.u32(descriptor, field);
        if (at == 0 || at + 8 > descriptor.length) {
            return Optional.empty();
        }
        return Sid.format(descriptor, (int) at);
    }

    /** Renders SIDs. */
    static final class Sid {

        private Sid() {
        }

        static Optional<String> format(byte[] b, int at) {
            int revision = b[at] & 0xFF;
            int count = b[at + 1] & 0xFF;
            if (at + 8 + 4L * count > b.length) {
                return Optional.empty();
            }
            long authority = 0;
            for (int i = 0; i < 6; i++) {
                authority = authority << 8 | (b[at + 2 + i] & 0xFF);
            }
            StringBuilder s = new StringBuilder("S-").append(revision).append('-').append(authority);
            for (int i = 0; i < count; i++) {
                s.append('-').append(LittleEndian.u32(b, at + 8 + 4 * i));
            }
            return Optional.of(s.toString());
        }
    }
}
