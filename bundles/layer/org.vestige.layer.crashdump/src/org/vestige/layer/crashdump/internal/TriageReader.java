package org.vestige.layer.crashdump.internal;

import static org.vestige.layer.crashdump.internal.KernelDumpReader.u32;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

import org.vestige.core.evidence.EvidenceException;
import org.vestige.core.layer.MissingCause;
import org.vestige.layer.crashdump.AddressSpace;
import org.vestige.layer.crashdump.CpuContext;
import org.vestige.layer.crashdump.DumpHeader;
import org.vestige.layer.crashdump.TriageDataBlock;
import org.vestige.layer.crashdump.TriageDriver;
import org.vestige.layer.crashdump.TriageDump;
import org.vestige.layer.crashdump.TriageHeader;
import org.vestige.layer.crashdump.UnloadedDriver;
import org.vestige.layer.crashdump.X64Context;
import org.vestige.layer.crashdump.X86Context;

/**
 * Reads the triage part of a triage dump: the {@code TRIAGE_DUMP} header after the main header, the
 * driver list with names from the string pool, the unloaded drivers, and the data blocks. The data
 * blocks, the copy of the debugger data block, the call stack and the copies of the crashing
 * processor's {@code KPRCB}, thread and process (placed at the addresses the debugger data and the
 * {@code KPRCB} give) together form a sparse kernel virtual view.
 */
final class TriageReader {

    /** {@code _KDDEBUGGER_DATA64.Header.OwnerTag}. */
    private static final int KDBG_TAG = 0x4742444b;
    private static final String GAP = "not in triage dump (a triage dump holds only the crashing context and selected kernel data)";

    record Result(TriageDump triage, MappedLayer layer) {
    }

    private TriageReader() {
    }

    static Result read(DumpFile file, DumpHeader header, List<String> warnings)
            throws EvidenceException {
        boolean x64 = header.is64Bit();
        int at = header.headerSize();
        ByteBuffer t = file.read(at, x64 ? 0x80 : 0x68, "triage dump header (TRIAGE_DUMP%s)".formatted(x64 ? "64" : "32"));
        TriageHeader th = x64
                ? new TriageHeader(u32(t, 0), u32(t, 4), u32(t, 8), u32(t, 0xc), u32(t, 0x10), u32(t, 0x14), u32(t, 0x18),
                        u32(t, 0x1c), u32(t, 0x20), u32(t, 0x24), u32(t, 0x28), u32(t, 0x2c), u32(t, 0x30), u32(t, 0x34),
                        u32(t, 0x38), u32(t, 0x3c), u32(t, 0x40), u32(t, 0x44), t.getLong(0x48), t.getLong(0x60),
                        u32(t, 0x68), u32(t, 0x6c), u32(t, 0x70), u32(t, 0x74), u32(t, 0x78), u32(t, 0x7c))
                : new TriageHeader(u32(t, 0), u32(t, 4), u32(t, 8), u32(t, 0xc), u32(t, 0x10), u32(t, 0x14), u32(t, 0x18),
                        u32(t, 0x1c), u32(t, 0x20), u32(t, 0x24), u32(t, 0x28), u32(t, 0x2c), u32(t, 0x30), u32(t, 0x34),
                        u32(t, 0x38), u32(t, 0x3c), u32(t, 0x40), u32(t, 0x44), u32(t, 0x48), u32(t, 0x4c),
                        u32(t, 0x50), u32(t, 0x54), u32(t, 0x58), u32(t, 0x5c), u32(t, 0x60), u32(t, 0x64));
        if (th.validOffset() > 0 && th.validOffset() + 4 <= file.size()) {
            int marker = file.read(th.validOffset(), 4, "triage validity marker").getInt(0);
            if (marker != TriageHeader.VALID_MARKER) {
                warnings.add("triage validity marker at 0x%x reads 0x%x, not 'TRGD': the dump may be incomplete"
                        .formatted(th.validOffset(), marker));
            }
        } else {
            warnings.add("triage ValidOffset 0x%x lies outside the file (0x%x bytes): the dump may be incomplete"
                    .formatted(th.validOffset(), file.size()));
        }
        List<String> notes = new ArrayList<>();
        List<TriageDriver> drivers = drivers(file, th, x64, warnings);
        List<UnloadedDriver> unloaded = unloadedDrivers(file, th, x64, notes);
        List<TriageDataBlock> blocks = dataBlocks(file, th, x64, warnings);

        List<MappedLayer.Segment> segments = new ArrayList<>();
        for (TriageDataBlock b : blocks) {
            segments.add(new MappedLayer.Segment(b.virtualAddress(), b.size(), b.fileOffset()));
        }
        if (th.debuggerDataOffset() != 0 && !DumpHeader.isFill(header.kdDebuggerDataBlock())) {
            segments.add(new MappedLayer.Segment(header.kdDebuggerDataBlock(), th.debuggerDataSize(), th.debuggerDataOffset()));
        }
        if (th.callStackOffset() != 0) {
            segments.add(new MappedLayer.Segment(th.topOfStack(), th.sizeOfCallStack(), th.callStackOffset()));
        }
        if (th.dataPageOffset() != 0 && th.dataPageAddress() != 0) {
            segments.add(new MappedLayer.Segment(th.dataPageAddress(), th.dataPageSize(), th.dataPageOffset()));
        }
        Path path = file.path();
        String name = "kernel virtual (triage dump: %s)".formatted(path.getFileName());
        MappedLayer layer = MappedLayer.of(name, AddressSpace.KERNEL_VIRTUAL, file, segments,
                new MissingCause.NotCaptured(), GAP);

        Optional<CpuContext> processorContext = Optional.empty();
        OptionalLong thread = OptionalLong.empty();
        OptionalLong process = OptionalLong.empty();
        DebuggerOffsets kd = debuggerOffsets(file, th, x64, notes);
        if (kd != null && th.prcbOffset() != 0) {
            long prcbEnd = Math.min(file.size(), th.prcbOffset() + kd.sizePrcb());
            long threadAddress = pointerAt(file, th.prcbOffset() + kd.offsetPrcbCurrentThread(), prcbEnd, x64);
            if (threadAddress != 0 && th.threadOffset() != 0) {
                thread = OptionalLong.of(threadAddress);
                segments.add(new MappedLayer.Segment(threadAddress, kd.sizeEThread(), th.threadOffset()));
                long processAddress = pointerAt(file, th.threadOffset() + kd.offsetKThreadApcProcess(),
                        Math.min(file.size(), th.threadOffset() + kd.sizeEThread()), x64);
                if (processAddress != 0 && th.processOffset() != 0) {
                    process = OptionalLong.of(processAddress);
                    segments.add(new MappedLayer.Segment(processAddress, kd.sizeEProcess(), th.processOffset()));
                }
            }
            int numberOffset = kd.offsetPrcbNumber();
            if (th.prcbOffset() + numberOffset + 2 <= prcbEnd && kd.kiProcessorBlock() != 0) {
                int number = Short.toUnsignedInt(file.read(th.prcbOffset() + numberOffset, 2, "KPRCB.Number").getShort(0));
                int pointerSize = x64 ? 8 : 4;
                byte[] slot = new byte[pointerSize];
                if (layer.read(kd.kiProcessorBlock() + (long) number * pointerSize, slot, 0, pointerSize) == pointerSize) {
                    long prcbAddress = pointer(ByteBuffer.wrap(slot).order(ByteOrder.LITTLE_ENDIAN), x64);
                    segments.add(new MappedLayer.Segment(prcbAddress, kd.sizePrcb(), th.prcbOffset()));
                }
            }
            layer = MappedLayer.of(name, AddressSpace.KERNEL_VIRTUAL, file, segments, new MissingCause.NotCaptured(),
                    GAP);
            if (kd.offsetPrcbContext() != 0) {
                long contextAddress = pointerAt(file, th.prcbOffset() + kd.offsetPrcbContext(), prcbEnd, x64);
                processorContext = processorContext(layer, contextAddress, header, notes);
            } else {
                notes.add("the debugger data block is too old to name KPRCB.Context; the processor context is not derived");
            }
        }
        TriageDump triage = new TriageDump(th, drivers, unloaded, blocks, processorContext, thread, process, notes);
        return new Result(triage, layer);
    }

    /** The few {@code _KDDEBUGGER_DATA64} fields that locate the copies of the KPRCB, thread and process. */
    private record DebuggerOffsets(long kiProcessorBlock, int offsetKThreadApcProcess, int sizeEProcess, int sizePrcb,
            int offsetPrcbCurrentThread, int offsetPrcbNumber, int sizeEThread, int offsetPrcbContext) {
    }

    private static DebuggerOffsets debuggerOffsets(DumpFile file, TriageHeader th, boolean x64, List<String> notes)
            throws EvidenceException {
        if (th.debuggerDataOffset() == 0 || th.debuggerDataSize() < 0x2c2) {
            notes.add("the triage dump holds no usable copy of the debugger data block (offset 0x%x, size 0x%x)"
                    .formatted(th.debuggerDataOffset(), th.debuggerDataSize()));
            return null;
        }
        int size = (int) Math.min(th.debuggerDataSize(), 0x400);
        ByteBuffer k = file.read(th.debuggerDataOffset(), size, "copy of the debugger data block (KDDEBUGGER_DATA64)");
        if (k.getInt(0x10) != KDBG_TAG) {
            notes.add("the copy of the debugger data block at 0x%x has owner tag 0x%x, not 'KDBG' (encoded?)"
                    .formatted(th.debuggerDataOffset(), k.getInt(0x10)));
            return null;
        }
        long processorBlock = k.getLong(0x218);
        if (!x64) {
            processorBlock &= 0xffffffffL;
        }
        int prcbContext = size >= 0x33a ? Short.toUnsignedInt(k.getShort(0x338)) : 0;
        return new DebuggerOffsets(processorBlock, u16(k, 0x2a0), u16(k, 0x2a8), u16(k, 0x2b0), u16(k, 0x2b4),
                u16(k, 0x2be), u16(k, 0x2c0), prcbContext);
    }

    private static Optional<CpuContext> processorContext(MappedLayer layer, long address, DumpHeader header,
            List<String> notes) {
        if (address == 0) {
            notes.add("KPRCB.Context is null in the KPRCB copy");
            return Optional.empty();
        }
        int size = header.machineImageType() == 0x8664 ? X64Context.SIZE : X86Context.SIZE;
        byte[] raw = new byte[size];
        int got = layer.read(address, raw, 0, size);
        if (got != size) {
            notes.add("KPRCB.Context points to 0x%x, which the triage dump holds only %d of 0x%x bytes of"
                    .formatted(address, got, size));
            return Optional.empty();
        }
        return switch (header.machineImageType()) {
            case 0x8664 -> Optional.of(X64Context.parse(raw));
            case 0x14c -> Optional.of(X86Context.parse(raw));
            default -> Optional.empty();
        };
    }

    private static List<TriageDriver> drivers(DumpFile file, TriageHeader th, boolean x64, List<String> warnings)
            throws EvidenceException {
        Path path = file.path();
        int entrySize = x64 ? 0x90 : 0x4c;
        long count = th.driverCount();
        if (count == 0) {
            return List.of();
        }
        long end = th.driverListOffset() + count * entrySize;
        if (th.driverListOffset() == 0 || end > file.size()) {
            throw new EvidenceException(path, "triage driver list at offset 0x%x with %d entries of 0x%x bytes runs past the end of the file (0x%x bytes)"
                    .formatted(th.driverListOffset(), count, entrySize, file.size()));
        }
        ByteBuffer list = file.read(th.driverListOffset(), (int) (count * entrySize), "triage driver list");
        List<TriageDriver> out = new ArrayList<>((int) count);
        for (int i = 0; i < count; i++) {
            int e = i * entrySize;
            long nameOffset = u32(list, e);
            String name;
            try {
                name = dumpString(file, nameOffset, "name of triage driver %d".formatted(i));
            } catch (EvidenceException bad) {
                warnings.add("triage driver %d: name not decoded: %s".formatted(i, bad.getMessage()));
                name = "";
            }
            if (x64) {
                int ldr = e + 8;
                out.add(new TriageDriver(name, list.getLong(ldr + 0x30), u32(list, ldr + 0x40), list.getInt(ldr + 0x78),
                        list.getInt(ldr + 0x80), list.getInt(ldr + 0x68), u16(list, ldr + 0x6c)));
            } else {
                int ldr = e + 4;
                out.add(new TriageDriver(name, u32(list, ldr + 0x18), u32(list, ldr + 0x20), list.getInt(ldr + 0x40),
                        list.getInt(ldr + 0x44), list.getInt(ldr + 0x34), u16(list, ldr + 0x38)));
            }
        }
        return out;
    }

    /** A {@code DUMP_STRING}: a character count, then that many UTF-16 characters. */
    private static String dumpString(DumpFile file, long offset, String what) throws EvidenceException {
        long chars = u32(file.read(offset, 4, what + " (length)"), 0);
        if (chars > 0x7fff) {
            throw new EvidenceException(file.path(), "%s at offset 0x%x claims %d characters; a kernel path has at most 32767"
                    .formatted(what, offset, chars));
        }
        ByteBuffer b = file.read(offset + 4, (int) chars * 2, what);
        byte[] raw = new byte[(int) chars * 2];
        b.get(raw);
        return new String(raw, StandardCharsets.UTF_16LE);
    }

    private static List<UnloadedDriver> unloadedDrivers(DumpFile file, TriageHeader th, boolean x64, List<String> notes)
            throws EvidenceException {
        long at = th.unloadedDriversOffset();
        if (at == 0) {
            return List.of();
        }
        int countSize = x64 ? 8 : 4;
        int entrySize = x64 ? 0x38 : 0x28;
        if (at + countSize > file.size()) {
            notes.add("unloaded driver list at 0x%x lies outside the file".formatted(at));
            return List.of();
        }
        ByteBuffer c = file.read(at, countSize, "unloaded driver count");
        long count = x64 ? c.getLong(0) : u32(c, 0);
        if (count < 0 || count > 1024 || at + countSize + count * entrySize > file.size()) {
            notes.add("unloaded driver list at 0x%x claims %d entries; ignored".formatted(at, count));
            return List.of();
        }
        ByteBuffer list = file.read(at + countSize, (int) (count * entrySize), "unloaded driver list");
        List<UnloadedDriver> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            int e = i * entrySize;
            int nameAt = e + (x64 ? 0x10 : 0x8);
            int chars = Math.min(u16(list, e) / 2, 12);
            byte[] raw = new byte[chars * 2];
            list.get(nameAt, raw);
            long start = x64 ? list.getLong(e + 0x28) : u32(list, e + 0x20);
            long end = x64 ? list.getLong(e + 0x30) : u32(list, e + 0x24);
            out.add(new UnloadedDriver(new String(raw, StandardCharsets.UTF_16LE), start, end));
        }
        return out;
    }

    private static List<TriageDataBlock> dataBlocks(DumpFile file, TriageHeader th, boolean x64, List<String> warnings)
            throws EvidenceException {
        long count = th.dataBlocksCount();
        if (count == 0 || th.dataBlocksOffset() == 0) {
            return List.of();
        }
        int entrySize = x64 ? 16 : 12;
        if (th.dataBlocksOffset() + count * entrySize > file.size()) {
            throw new EvidenceException(file.path(), "triage data block table at offset 0x%x with %d entries runs past the end of the file (0x%x bytes)"
                    .formatted(th.dataBlocksOffset(), count, file.size()));
        }
        ByteBuffer table = file.read(th.dataBlocksOffset(), (int) (count * entrySize), "triage data block table");
        List<TriageDataBlock> out = new ArrayList<>((int) count);
        int beyond = 0;
        for (int i = 0; i < count; i++) {
            int e = i * entrySize;
            TriageDataBlock b = x64
                    ? new TriageDataBlock(table.getLong(e), u32(table, e + 8), u32(table, e + 12))
                    : new TriageDataBlock(u32(table, e), u32(table, e + 4), u32(table, e + 8));
            if (b.fileOffset() + b.size() > file.size()) {
                beyond++;
            }
            out.add(b);
        }
        if (beyond > 0) {
            warnings.add("%d triage data blocks reach past the end of the file (0x%x bytes): truncated, their missing bytes read as missing"
                    .formatted(beyond, file.size()));
        }
        return out;
    }

    private static long pointerAt(DumpFile file, long offset, long limit, boolean x64) throws EvidenceException {
        int size = x64 ? 8 : 4;
        if (offset + size > limit) {
            return 0;
        }
        return pointer(file.read(offset, size, "pointer"), x64);
    }

    private static long pointer(ByteBuffer b, boolean x64) {
        return x64 ? b.getLong(0) : u32(b, 0);
    }

    private static int u16(ByteBuffer b, int offset) {
        return Short.toUnsignedInt(b.getShort(offset));
    }
}
