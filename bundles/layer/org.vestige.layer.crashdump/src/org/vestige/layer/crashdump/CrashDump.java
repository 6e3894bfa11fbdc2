package org.vestige.layer.crashdump;

import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

import org.vestige.core.evidence.EvidenceException;
import org.vestige.core.evidence.OpenedEvidence;
import org.vestige.layer.crashdump.internal.KernelDumpReader;

/**
 * An opened Windows kernel crash dump ({@code PAGEDU64} or {@code PAGEDUMP}): its header, the memory
 * it holds as a {@link DumpLayer} (physical memory for complete, kernel and bitmap dumps; a sparse
 * kernel virtual view for triage dumps) and, for triage dumps, the driver list and data blocks.
 *
 * <p>Instances come from {@link #open(Path)}; the file stays open until {@link #close()}. Reads are
 * safe from several threads.
 *
 * @since 0.1
 */
public final class CrashDump implements Closeable {

    private final Path path;
    private final DumpHeader header;
    private final DumpLayer memory;
    private final Optional<BitmapHeader> bitmap;
    private final Optional<TriageDump> triage;
    private final Optional<CpuContext> headerContext;
    private final List<String> warnings;
    private final Closeable resource;

    /** Assembles an opened dump; use {@link #open(Path)}. */
    public CrashDump(Path path, DumpHeader header, DumpLayer memory, Optional<BitmapHeader> bitmap,
            Optional<TriageDump> triage, Optional<CpuContext> headerContext, List<String> warnings,
            Closeable resource) {
        this.path = path;
        this.header = header;
        this.memory = memory;
        this.bitmap = bitmap;
        this.triage = triage;
        this.headerContext = headerContext;
        this.warnings = List.copyOf(warnings);
        this.resource = resource;
    }

    /**
     * Opens a kernel crash dump read-only.
     *
     * @throws EvidenceException when the file is missing, not a crash dump, truncated in its headers or
     *                           corrupt; the message names the file, the structure and its offset
     */
    public static CrashDump open(Path path) throws EvidenceException {
        return KernelDumpReader.read(path);
    }

    public Path path() {
        return path;
    }

    public DumpHeader header() {
        return header;
    }

    public DumpType dumpType() {
        return header.dumpType();
    }

    /** @return the header values kernel discovery can use directly (DTB, PsLoadedModuleList, …) */
    public KernelHints hints() {
        return header.hints();
    }

    /** @return the memory the dump holds; see {@link DumpLayer#addressSpace()} for which space it is */
    public DumpLayer memory() {
        return memory;
    }

    public AddressSpace addressSpace() {
        return memory.addressSpace();
    }

    /** @return the bitmap header of a bitmap dump */
    public Optional<BitmapHeader> bitmap() {
        return bitmap;
    }

    /** @return the triage parts of a triage dump */
    public Optional<TriageDump> triage() {
        return triage;
    }

    /**
     * @return the header's {@code ContextRecord}; in a triage dump of a bug check raised for an exception
     *         this is the context of the exception, not of {@code KeBugCheckEx}
     */
    public Optional<CpuContext> headerContext() {
        return headerContext;
    }

    /**
     * @return the registers of the crashing processor as a debugger shows them first: for a triage dump
     *         the context {@code KeBugCheckEx} saved in the processor's {@code KPRCB} when the copies hold
     *         it, otherwise the header's {@code ContextRecord}
     */
    public Optional<CpuContext> context() {
        return triage.flatMap(TriageDump::processorContext).or(() -> headerContext);
    }

    /** @return inconsistencies found while opening (truncation, count mismatches), in words an analyst can act on */
    public List<String> warnings() {
        return warnings;
    }

    /** @return what the header says, in display order, for {@code evidence.info} */
    public Map<String, String> properties() {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("format", "Windows kernel crash dump (%s, %s)".formatted(header.signature(), DumpHeader.machineName(header.machineImageType())));
        p.put("dump type", "%s (%d)".formatted(header.dumpType().label(), header.dumpTypeCode()));
        p.put("address space", memory.addressSpace().label());
        p.put("version", "%d.%d (%s build)".formatted(header.majorVersion(), header.minorVersion(),
                header.majorVersion() == 0xc ? "checked" : "free"));
        p.put("machine", "%s (0x%x)".formatted(DumpHeader.machineName(header.machineImageType()), header.machineImageType()));
        p.put("processors", Integer.toString(header.numberProcessors()));
        p.put("bugcheck", header.bugCheck().toString());
        p.put(OpenedEvidence.DIRECTORY_TABLE_BASE, hexOrUnset(header.directoryTableBase()));
        p.put("PfnDataBase", hexOrUnset(header.pfnDatabase()));
        p.put("PsLoadedModuleList", hexOrUnset(header.psLoadedModuleList()));
        p.put("PsActiveProcessHead", hexOrUnset(header.psActiveProcessHead()));
        p.put("KdDebuggerDataBlock", hexOrUnset(header.kdDebuggerDataBlock()));
        header.systemTime().ifPresent(t -> p.put("system time", t.toString()));
        header.systemUpTime().ifPresent(d -> p.put("system up time", d.toString()));
        p.put("product type", "%d (%s)".formatted(header.productType(), switch (header.productType()) {
            case 1 -> "workstation";
            case 2 -> "domain controller";
            case 3 -> "server";
            default -> "unknown";
        }));
        p.put("suite mask", "0x%x".formatted(header.suiteMask()));
        p.put("required dump space", hexOrUnset(header.requiredDumpSpace()));
        if (!header.comment().isEmpty()) {
            p.put("comment", header.comment());
        }
        header.physicalMemoryBlock().ifPresent(d -> p.put("physical memory block",
                "%d runs, %d pages".formatted(d.numberOfRuns(), d.numberOfPages())));
        bitmap.ifPresent(b -> p.put("bitmap", "%s: %d of %d pages present, first page at file offset 0x%x"
                .formatted(b.signature(), b.countedPages(), b.pages(), b.firstPageOffset())));
        triage.ifPresent(t -> {
            p.put("triage drivers", Integer.toString(t.drivers().size()));
            p.put("triage data blocks", Integer.toString(t.dataBlocks().size()));
            // in a bug check raised for an exception the header context is the exception's, so its
            // instruction pointer names the module that faulted
            headerContext.flatMap(c -> t.driverAt(c.instructionPointer())).ifPresent(d -> p.put("header context in",
                    "%s at 0x%x (size 0x%x)".formatted(d.baseName(), d.dllBase(), d.sizeOfImage())));
        });
        context().ifPresent(c -> p.put("context", "%s=0x%x %s=0x%x".formatted(
                c.architecture().equals("x64") ? "rip" : "eip", c.instructionPointer(),
                c.architecture().equals("x64") ? "rsp" : "esp", c.stackPointer())));
        if (!warnings.isEmpty()) {
            p.put("warnings", warnings.stream().collect(Collectors.joining("; ")));
        }
        return Collections.unmodifiableMap(p);
    }

    private static String hexOrUnset(long value) {
        return DumpHeader.isFill(value) ? "(not set)" : "0x%x".formatted(value);
    }

    @Override
    public void close() throws IOException {
        resource.close();
    }

    @Override
    public String toString() {
        return "crash dump " + path + " (" + header.dumpType().label() + ")";
    }
}
