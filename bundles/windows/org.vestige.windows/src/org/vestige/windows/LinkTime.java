package org.vestige.windows;

import java.time.Instant;

import org.vestige.core.layer.Layer;
import org.vestige.windows.internal.Bytes;

/**
 * When a module's linker wrote it: the {@code TimeDateStamp} of the PE file header mapped at the module's base,
 * read through the layer (so a header paged out or compressed is read from its backing store, or said
 * missing with the cause). The value is seconds since 1970 as an unsigned 32-bit number; since Windows 10 the
 * system's own binaries are built reproducibly and carry a hash there instead, which reads as some other date
 * (PE format: Microsoft's "PE Format" specification, COFF File Header, offset 4 past the signature).
 *
 * @since 0.1
 */
public final class LinkTime {

    /** A DOS header's {@code e_lfanew} beyond this is no header the loader maps (it fits in the first page). */
    private static final int MAX_LFANEW = 0x1000 - 24;

    private LinkTime() {
    }

    /**
     * @param layer the address space the module is mapped in (the process's, or the kernel's)
     * @param base  the module's base address
     * @return the link time, or why it could not be read (a stamp of 0 is no time: the linker recorded none)
     */
    public static Readout<Instant> read(Layer layer, long base) {
        MemoryReader reader = new MemoryReader(layer);
        return reader.bytes(base, 0x40, "DOS header").flatMap(dos -> {
            if (Bytes.u16(dos, 0) != 0x5a4d) {
                return Readout.missing("no MZ signature at " + MemoryReader.hex(base));
            }
            long lfanew = Bytes.u32(dos, 0x3c);
            if (lfanew < 0x40 || lfanew > MAX_LFANEW) {
                return Readout.missing("e_lfanew 0x" + Long.toHexString(lfanew) + " at " + MemoryReader.hex(base)
                        + " lies outside the header page");
            }
            return reader.bytes(base + lfanew, 12, "PE file header").flatMap(pe -> Bytes.u32(pe, 0) != 0x4550
                    ? Readout.missing("no PE signature at " + MemoryReader.hex(base + lfanew))
                    : Bytes.u32(pe, 8) == 0
                            ? Readout.missing("the PE file header at " + MemoryReader.hex(base + lfanew)
                                    + " records no TimeDateStamp (0)")
                            : Readout.of(Instant.ofEpochSecond(Bytes.u32(pe, 8))));
        });
    }
}
