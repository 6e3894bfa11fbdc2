package org.vestige.windows;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;

import org.vestige.core.layer.PageProvenance;
import org.vestige.windows.internal.Bytes;

/**
 * Finds the Service Control Manager's records in {@code services.exe}: scans every page of the process's
 * VADs that has a page-table entry (resident, in transition, paged out or compressed, each read through the
 * backing stores) for the {@link ServiceLayout#headerTag() header tag}, and walks each header's list of
 * records from the newest back to the oldest.
 *
 * <p>Nothing hangs and nothing stops the scan: a list is followed for at most {@link #MAX_RECORDS} records,
 * a record seen before ends the walk (a cycle is a warning naming the record it loops back to), and a record
 * that cannot be read or does not parse, or a string pointer that leads nowhere, is a warning naming its
 * address while the other records are listed.
 *
 * @since 0.1
 */
public final class ServiceScanner {

    /** More services than this is not a real service database. */
    public static final int MAX_RECORDS = 100_000;
    /** The longest name or path read: 1024 UTF-16 characters, as the SCM's own limits allow. */
    static final int MAX_STRING_BYTES = 2048;
    /** The bytes read at once while scanning. */
    private static final int CHUNK = 1 << 20;

    private final X64Layer layer;
    private final MemoryReader memory;
    private final ServiceLayout layout;
    private final String owner;
    private final byte[] tag;

    /**
     * @param layer  the address space of services.exe
     * @param layout the record layout of the image's build
     * @param owner  the process, as warnings name it
     */
    public ServiceScanner(X64Layer layer, ServiceLayout layout, String owner) {
        this.layer = layer;
        this.memory = new MemoryReader(layer);
        this.layout = layout;
        this.owner = owner;
        this.tag = layout.headerTag().getBytes(StandardCharsets.US_ASCII);
    }

    /**
     * @param vads     the process's VADs
     * @param canceled asked between chunks
     * @return the records of every header found, each once
     */
    public ServiceScan scan(List<WinVad> vads, BooleanSupplier canceled) {
        List<String> warnings = new ArrayList<>();
        List<Long> hits = new ArrayList<>();
        Unreadable unreadable = new Unreadable();
        long[] pages = {0};
        PageMapper mapper = new PageMapper(layer);
        for (WinVad v : vads.stream().sorted(Comparator.comparingLong(WinVad::start)).toList()) {
            long[] run = {0, 0};
            boolean go = mapper.forEach(v.start(), v.end() + 1, page -> {
                pages[0] += Math.max(1, page.size() >>> 12);
                if (page.provenance() instanceof PageProvenance.Missing m) {
                    unreadable.add(page.va(), Math.max(1, page.size() >>> 12), m.reason());
                    return true;
                }
                if (page.provenance() instanceof PageProvenance.DemandZero) {
                    return true;
                }
                if (run[1] != 0 && run[0] + run[1] == page.va()) {
                    run[1] += page.size();
                    return true;
                }
                boolean more = run[1] == 0 || search(run[0], run[1], hits, unreadable, canceled);
                run[0] = page.va();
                run[1] = page.size();
                return more;
            });
            if (!go || (run[1] != 0 && !search(run[0], run[1], hits, unreadable, canceled))) {
                warnings.add("the scan of " + owner + " was canceled");
                break;
            }
        }
        unreadable.report(owner, warnings);
        Map<Long, ServiceRecord> records = new LinkedHashMap<>();
        List<Long> headers = new ArrayList<>();
        for (long h : hits) {
            if (walk(h, records, warnings)) {
                headers.add(h);
            }
        }
        return new ServiceScan(List.copyOf(records.values()), headers, warnings, pages[0]);
    }

    /** Pages that could not be read: how many, and the first one's address and reason. */
    private static final class Unreadable {
        long count;
        long first = -1;
        String reason;

        void add(long va, long pages, String why) {
            if (first < 0) {
                first = va;
                reason = why;
            }
            count += pages;
        }

        void report(String owner, List<String> warnings) {
            if (count > 0) {
                warnings.add(count + " page(s) of " + owner + " could not be scanned for service records; the first,"
                        + " at " + MemoryReader.hex(first) + ": " + reason);
            }
        }
    }

    /** Reads {@code [va, va + length)} chunk by chunk and notes the tag's 8-byte-aligned occurrences. */
    private boolean search(long va, long length, List<Long> hits, Unreadable unreadable, BooleanSupplier canceled) {
        byte[] buffer = new byte[(int) Math.min(CHUNK, length)];
        for (long done = 0; done < length; done += buffer.length) {
            if (canceled.getAsBoolean()) {
                return false;
            }
            int n = (int) Math.min(buffer.length, length - done);
            long at = va + done;
            Arrays.fill(buffer, 0, n, (byte) 0);
            layer.read(at, buffer, 0, n, (a, l, p) -> {
                if (p instanceof PageProvenance.Missing m) {
                    unreadable.add(a, Math.max(1, l >>> 12), m.reason());
                }
            });
            for (int i = 0; i + tag.length <= n; i += 8) {
                if (buffer[i] == tag[0] && buffer[i + 1] == tag[1] && buffer[i + 2] == tag[2]
                        && buffer[i + 3] == tag[3]) {
                    hits.add(at + i);
                }
            }
        }
        return true;
    }

    /**
     * Walks the list of the header at {@code header} into {@code records}.
     *
     * @return whether the header pointed at a service record
     */
    private boolean walk(long header, Map<Long, ServiceRecord> records, List<String> warnings) {
        Readout<byte[]> h = memory.bytes(header, layout.headerSize(), "service header");
        if (!h.isPresent()) {
            return false;
        }
        long record = Bytes.u64(h.get(), layout.headerRecord());
        if (record == 0 || !X64Translator.canonical(record) || !plausible(record)) {
            return false; // the tag's bytes by chance, not a header
        }
        Set<Long> walked = new HashSet<>();
        String list = "the service list of the header at " + MemoryReader.hex(header);
        while (record != 0) {
            if (!walked.add(record)) {
                warnings.add(list + " in " + owner + " loops back to the record at " + MemoryReader.hex(record)
                        + "; the walk stops there");
                return true;
            }
            if (records.containsKey(record)) {
                return true; // a list another header already walked from here on
            }
            if (records.size() >= MAX_RECORDS) {
                warnings.add(list + " in " + owner + ": more than " + MAX_RECORDS + " records; the rest are not read");
                return true;
            }
            Readout<byte[]> r = memory.bytes(record, layout.recordSize(), "service record");
            if (!r.isPresent()) {
                warnings.add(list + " in " + owner + " leads to a record that cannot be read: " + r.reason()
                        + "; the records before it are not listed");
                return true;
            }
            byte[] b = r.get();
            long order = Bytes.u32(b, layout.order());
            long start = Bytes.u32(b, layout.start());
            long type = Bytes.u32(b, layout.type());
            long state = Bytes.u32(b, layout.state());
            if (!ServiceRecord.plausible(order, start, type, state)) {
                warnings.add(list + " in " + owner + " leads to " + MemoryReader.hex(record) + ", which is not a"
                        + " service record (Order " + order + ", Start " + start + ", Type 0x" + Long.toHexString(type)
                        + ", State " + state + "); the records before it are not listed");
                return true;
            }
            records.put(record, decode(record, b, order, start, type, state, warnings));
            record = Bytes.u64(b, layout.prev());
        }
        return true;
    }

    /** @return whether the header's record pointer points at a record that parses */
    private boolean plausible(long record) {
        Readout<byte[]> r = memory.bytes(record, layout.recordSize(), "service record");
        if (!r.isPresent()) {
            return true; // unreadable: the walk reports it
        }
        byte[] b = r.get();
        return ServiceRecord.plausible(Bytes.u32(b, layout.order()), Bytes.u32(b, layout.start()), Bytes.u32(b,
                layout.type()), Bytes.u32(b, layout.state()));
    }

    private ServiceRecord decode(long record, byte[] b, long order, long start, long type, long state,
            List<String> warnings) {
        String at = "service record at " + MemoryReader.hex(record) + " in " + owner;
        Readout<String> name = string(Bytes.u64(b, layout.name()), "ServiceName", at, warnings);
        Readout<String> display = string(Bytes.u64(b, layout.displayName()), "DisplayName", at, warnings);
        long process = Bytes.u64(b, layout.process());
        Readout<String> binary;
        Readout<Long> pid;
        if (!ServiceRecord.win32(type)) {
            pid = Readout.missing("a driver runs in the kernel, not in a process");
            binary = process == 0 ? Readout.missing("the driver is not loaded (no DriverName)") : string(process,
                    "DriverName", at, warnings);
        } else if (process == 0) {
            pid = Readout.missing("the service is not running (no ServiceProcess)");
            binary = Readout.missing("the service is not running (no ServiceProcess)");
        } else {
            Readout<byte[]> p = memory.bytes(process, layout.processSize(), "ServiceProcess");
            if (!p.isPresent()) {
                warnings.add(at + ": " + p.reason());
            }
            pid = p.map(x -> Bytes.u32(x, layout.processId()));
            binary = p.flatMap(x -> string(Bytes.u64(x, layout.binaryPath()), "BinaryPath", at, warnings));
        }
        return new ServiceRecord(record, order, name, display, type, start, state, binary, pid);
    }

    /**
     * Reads the NUL-terminated UTF-16 string at {@code va}, page by page; a pointer that leads nowhere is a
     * warning naming the record.
     */
    private Readout<String> string(long va, String field, String at, List<String> warnings) {
        Readout<String> s = utf16z(va, field);
        if (!s.isPresent()) {
            warnings.add(at + ": " + s.reason());
        }
        return s;
    }

    private Readout<String> utf16z(long va, String field) {
        if (va == 0) {
            return Readout.missing(field + ": a null pointer");
        }
        String what = field + " at " + MemoryReader.hex(va);
        StringBuilder text = new StringBuilder();
        long cursor = va;
        int read = 0;
        while (read < MAX_STRING_BYTES) {
            int n = (int) Math.min(MAX_STRING_BYTES - read, 0x1000 - (cursor & 0xfff));
            n = Math.max(2, n & ~1);
            Readout<byte[]> b = memory.bytes(cursor, n, what);
            if (!b.isPresent()) {
                return Readout.missing(b.cause(), b.reason());
            }
            byte[] chunk = b.get();
            for (int i = 0; i + 1 < chunk.length; i += 2) {
                char c = (char) ((chunk[i] & 0xff) | (chunk[i + 1] & 0xff) << 8);
                if (c == 0) {
                    return Readout.of(text.toString());
                }
                text.append(c);
            }
            read += n;
            cursor += n;
        }
        return Readout.missing(what + ": no terminating NUL within " + MAX_STRING_BYTES / 2 + " characters");
    }
}
