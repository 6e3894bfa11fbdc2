package org.vestige.windows;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

import org.vestige.core.types.Profile;
import org.vestige.windows.internal.Bytes;

/**
 * Walks the kernel's active-process list ({@code PsActiveProcessHead} → {@code _EPROCESS.ActiveProcessLinks})
 * and reads each process's identity through the profile's field offsets. The walk is bounded, detects
 * cycles, checks that every Flink's target points back with its Blink, and rejects _EPROCESS
 * structures whose fields are implausible; each problem becomes a warning and the walk continues —
 * when the forward chain breaks, the rest of the list is recovered by walking backwards from the head.
 *
 * @since 0.1
 */
public final class ProcessWalker {

    /** No real system has more processes than this on its list; beyond it the list is garbage. */
    public static final int MAX_PROCESSES = 65536;

    private final X64Layer kernel;
    private final Profile profile;
    private final Fields f;

    /** Field offsets of one _EPROCESS layout, resolved once. */
    private record Fields(int size, int links, int pid, int ppid, int name, int nameSize, int create, int exit,
            int dtb, int peb, int threads, int headerType) {

        static Fields of(Profile p) {
            return new Fields((int) p.requireStruct("_EPROCESS").size(),
                    (int) p.offset("_EPROCESS", "ActiveProcessLinks"), (int) p.offset("_EPROCESS", "UniqueProcessId"),
                    (int) p.offset("_EPROCESS", "InheritedFromUniqueProcessId"),
                    (int) p.offset("_EPROCESS", "ImageFileName"),
                    (int) p.sizeOf(p.resolve("_EPROCESS", "ImageFileName").type()),
                    (int) p.offset("_EPROCESS", "CreateTime"),
                    p.has("_EPROCESS", "ExitTime") ? (int) p.offset("_EPROCESS", "ExitTime") : -1,
                    (int) p.offset("_EPROCESS", "Pcb.DirectoryTableBase"), (int) p.offset("_EPROCESS", "Peb"),
                    p.has("_EPROCESS", "ActiveThreads") ? (int) p.offset("_EPROCESS", "ActiveThreads") : -1,
                    p.has("_EPROCESS", "Pcb.Header.Type") ? (int) p.offset("_EPROCESS", "Pcb.Header.Type") : -1);
        }
    }

    /**
     * @throws java.util.NoSuchElementException naming the _EPROCESS field the profile lacks
     */
    public ProcessWalker(X64Layer kernel, Profile profile) {
        this.kernel = Objects.requireNonNull(kernel);
        this.profile = Objects.requireNonNull(profile);
        this.f = Fields.of(profile);
    }

    public Profile profile() {
        return profile;
    }

    /** @return the process's own address space (sharing the kernel's translator and backing stores) */
    public X64Layer processLayer(WinProcess p) {
        return kernel.translator().layer(p.name() + " (pid " + p.pid() + ") virtual", p.dtb());
    }

    /** Walks the list whose head (a LIST_ENTRY, usually PsActiveProcessHead) is at {@code head}. */
    public ProcessList walk(long head) {
        List<String> warnings = new ArrayList<>();
        List<Long> rejected = new ArrayList<>();
        List<WinProcess> forward = new ArrayList<>();
        Set<Long> visited = new HashSet<>();
        visited.add(head);
        long[] headLinks = links(head);
        if (headLinks == null) {
            warnings.add("list head 0x" + Long.toHexString(head) + " is not readable");
            return new ProcessList(List.of(), warnings, rejected);
        }
        boolean complete = false;
        long prev = head;
        String prevName = "list head 0x" + Long.toHexString(head);
        long cur = headLinks[0];
        while (visited.size() <= MAX_PROCESSES) {
            if (cur == head) {
                complete = true;
                break;
            }
            if (visited.contains(cur)) {
                warnings.add(prevName + ": ActiveProcessLinks.Flink 0x" + Long.toHexString(cur)
                        + " points back into the list (cycle at _EPROCESS 0x" + Long.toHexString(cur - f.links)
                        + "); recovering the rest of the list from the head's Blink chain");
                break;
            }
            long[] l = links(cur);
            if (l == null) {
                warnings.add(prevName + ": ActiveProcessLinks.Flink 0x" + Long.toHexString(cur)
                        + " is not readable; recovering the rest of the list from the head's Blink chain");
                break;
            }
            if (l[1] != prev) {
                warnings.add(prevName + ": ActiveProcessLinks.Flink 0x" + Long.toHexString(cur)
                        + " leads to an entry whose Blink is 0x" + Long.toHexString(l[1]) + ", not 0x"
                        + Long.toHexString(prev) + " (list changed while it was acquired)");
            }
            visited.add(cur);
            long eprocess = cur - f.links;
            Candidate c = read(eprocess);
            if (c.problem != null) {
                warnings.add("_EPROCESS at 0x" + Long.toHexString(eprocess) + " has implausible fields (" + c.problem
                        + "); skipped, following its links");
                rejected.add(eprocess);
                prevName = "_EPROCESS at 0x" + Long.toHexString(eprocess);
            } else {
                forward.add(c.process);
                prevName = "_EPROCESS at 0x" + Long.toHexString(eprocess) + " (pid " + c.process.pid() + ", "
                        + c.process.name() + ")";
            }
            prev = cur;
            cur = l[0];
        }
        if (!complete && visited.size() > MAX_PROCESSES) {
            warnings.add("more than " + MAX_PROCESSES + " entries on the list; stopped");
        }
        List<WinProcess> backward = new ArrayList<>();
        if (!complete) {
            long next = head;
            long b = headLinks[1];
            while (b != head && !visited.contains(b) && backward.size() + visited.size() <= MAX_PROCESSES) {
                long[] l = links(b);
                if (l == null) {
                    warnings.add("ActiveProcessLinks.Blink 0x" + Long.toHexString(b) + " is not readable; backward walk"
                            + " stopped");
                    break;
                }
                if (l[0] != next) {
                    warnings.add("_EPROCESS at 0x" + Long.toHexString(b - f.links) + ": Flink is 0x"
                            + Long.toHexString(l[0]) + ", not 0x" + Long.toHexString(next) + " (backward walk)");
                }
                visited.add(b);
                Candidate c = read(b - f.links);
                if (c.problem != null) {
                    warnings.add("_EPROCESS at 0x" + Long.toHexString(b - f.links) + " has implausible fields ("
                            + c.problem + "); skipped");
                    rejected.add(b - f.links);
                } else {
                    backward.add(c.process);
                }
                next = b;
                b = l[1];
            }
        }
        List<WinProcess> all = new ArrayList<>(forward);
        for (int i = backward.size() - 1; i >= 0; i--) {
            all.add(backward.get(i));
        }
        return new ProcessList(all, warnings, rejected);
    }

    /**
     * How a profile's layout fits a process list: the evidence may fit it, contradict it (a link that
     * does not link back, a first process that is not System), or be missing where the check must read
     * (an unreadable list head or entry) — which says nothing against the layout.
     *
     * @param verdict what the check found
     * @param problem what did not fit or could not be read, with its address; null when it fits
     * @since 0.1
     */
    public record ListFit(Verdict verdict, String problem) {

        /** The outcomes of {@link ProcessWalker#fit}. */
        public enum Verdict {
            /** The first entries link back and read as plausible processes, System first. */
            FITS,
            /** A byte the check needs is not readable: the layout is neither confirmed nor contradicted. */
            UNREADABLE,
            /** What was read contradicts the layout. */
            CONTRADICTS
        }

        static final ListFit FITTING = new ListFit(Verdict.FITS, null);

        public boolean fits() {
            return verdict == Verdict.FITS;
        }
    }

    /**
     * Checks that a profile's layout fits the list at {@code head}: the first entry links back to the
     * head and is the System process (pid 4), and the first few processes are plausible. Damage
     * further down (after {@link #PROBE_TRUSTED} good entries) is smear for {@link #walk} to report,
     * not a sign of a wrong layout.
     *
     * @return null when it fits, else what did not validate
     */
    public String probe(long head, int entries) {
        return fit(head, entries).problem();
    }

    /** Checks the list at {@code head} as {@link #probe} does, telling missing evidence from contradicting evidence. */
    public ListFit fit(long head, int entries) {
        return probeEntries(head, entries);
    }

    /** Entries that must validate before later damage is put down to smear. */
    public static final int PROBE_TRUSTED = 3;

    private ListFit probeEntries(long head, int entries) {
        long[] hl = links(head);
        if (hl == null) {
            return new ListFit(ListFit.Verdict.UNREADABLE, "list head 0x" + Long.toHexString(head)
                    + " is not readable");
        }
        if (hl[0] >= 0 || hl[1] >= 0) {
            return new ListFit(ListFit.Verdict.CONTRADICTS, "list head 0x" + Long.toHexString(head) + " holds Flink 0x"
                    + Long.toHexString(hl[0]) + " / Blink 0x" + Long.toHexString(hl[1]) + ", not kernel addresses");
        }
        long prev = head;
        long cur = hl[0];
        for (int i = 0; i < entries && cur != head; i++) {
            if (i >= PROBE_TRUSTED) {
                if (probeOne(cur, prev) != null) {
                    return ListFit.FITTING; // damage after trusted entries is smear, for walk() to report
                }
                prev = cur;
                cur = links(cur)[0];
                continue;
            }
            long[] l = links(cur);
            if (l == null) {
                return new ListFit(ListFit.Verdict.UNREADABLE, "entry " + i + " at 0x" + Long.toHexString(cur)
                        + " is not readable");
            }
            if (l[1] != prev) {
                return new ListFit(ListFit.Verdict.CONTRADICTS, "entry " + i + " at 0x" + Long.toHexString(cur)
                        + " has Blink 0x" + Long.toHexString(l[1]) + ", expected 0x" + Long.toHexString(prev));
            }
            Candidate c = read(cur - f.links);
            if (c.problem != null) {
                return new ListFit(ListFit.Verdict.CONTRADICTS, "_EPROCESS " + i + " at 0x" + Long.toHexString(cur
                        - f.links) + " (ActiveProcessLinks at +0x" + Integer.toHexString(f.links) + "): " + c.problem);
            }
            if (i == 0 && (c.process.pid() != 4 || !c.process.name().equals("System"))) {
                return new ListFit(ListFit.Verdict.CONTRADICTS, "first _EPROCESS at 0x" + Long.toHexString(cur
                        - f.links) + " reads as pid " + c.process.pid() + " '" + c.process.name()
                        + "', not the System process (pid 4)");
            }
            prev = cur;
            cur = l[0];
        }
        return ListFit.FITTING;
    }

    private String probeOne(long cur, long prev) {
        long[] l = links(cur);
        if (l == null) {
            return "unreadable";
        }
        if (l[1] != prev) {
            return "Blink";
        }
        return read(cur - f.links).problem;
    }

    /** @return {flink, blink} of the LIST_ENTRY at {@code va}, or null when unreadable */
    private long[] links(long va) {
        if (!X64Translator.canonical(va) || va >= 0) {
            return null;
        }
        byte[] b = new byte[16];
        if (kernel.read(va, b, 0, 16) != 16) {
            return null;
        }
        return new long[] {Bytes.u64(b, 0), Bytes.u64(b, 8)};
    }

    /** A process read from an _EPROCESS, or what made its fields implausible. */
    record Candidate(WinProcess process, String problem) {
    }

    /** @return the size of an _EPROCESS */
    int eprocessSize() {
        return f.size;
    }

    /** @return the offset of ActiveProcessLinks in _EPROCESS */
    int linksOffset() {
        return f.links;
    }

    private Candidate read(long eprocess) {
        byte[] b = new byte[f.size];
        int got = kernel.read(eprocess, b, 0, b.length);
        if (got != b.length) {
            return new Candidate(null, "only " + got + " of " + b.length + " bytes readable");
        }
        return candidate(b, 0, eprocess);
    }

    /**
     * Reads and checks the _EPROCESS held in {@code b} from {@code at}.
     *
     * @param eprocess its virtual address, for the result
     */
    Candidate candidate(byte[] b, int at, long eprocess) {
        if (at != 0) {
            b = java.util.Arrays.copyOfRange(b, at, at + f.size);
        }
        long pid = Bytes.u64(b, f.pid);
        long ppid = Bytes.u64(b, f.ppid);
        int len = 0;
        while (len < f.nameSize && b[f.name + len] != 0) {
            len++;
        }
        String name = new String(b, f.name, len, StandardCharsets.ISO_8859_1);
        long dtb = Bytes.u64(b, f.dtb);
        long create = Bytes.u64(b, f.create);
        long exit = f.exit >= 0 ? Bytes.u64(b, f.exit) : 0;
        long peb = Bytes.u64(b, f.peb);
        int threads = f.threads >= 0 ? (int) Bytes.u32(b, f.threads) : -1;
        List<String> problems = new ArrayList<>();
        if (pid == 0 || (pid & 3) != 0 || pid > 0xFFFFFFFFL) {
            problems.add("UniqueProcessId 0x" + Long.toHexString(pid));
        }
        if ((ppid & 3) != 0 || ppid > 0xFFFFFFFFL) {
            problems.add("InheritedFromUniqueProcessId 0x" + Long.toHexString(ppid));
        }
        if (len == 0 || !printable(name)) {
            problems.add("ImageFileName is not a printable name");
        }
        long frame = dtb & kernel.translator().layout().frameMask();
        if (frame == 0 || (dtb >>> 52) != 0) {
            problems.add("DirectoryTableBase 0x" + Long.toHexString(dtb));
        }
        if (!plausibleTime(create) || !plausibleTime(exit)) {
            problems.add("CreateTime/ExitTime outside 1990–2200");
        }
        if (peb < 0) {
            problems.add("Peb 0x" + Long.toHexString(peb) + " is not a user address");
        }
        if (f.headerType >= 0 && (b[f.headerType] & 0x7f) != 3) {
            problems.add("Pcb.Header.Type " + (b[f.headerType] & 0xff) + " is not ProcessObject (3)");
        }
        if (threads > 100_000) {
            problems.add("ActiveThreads " + threads);
        }
        if (!problems.isEmpty()) {
            return new Candidate(null, String.join(", ", problems));
        }
        return new Candidate(new WinProcess(eprocess, pid, ppid, name, instant(create), exit == 0 ? null : instant(
                exit), dtb, peb, threads), null);
    }

    private static boolean printable(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c > 0x7e) {
                return false;
            }
        }
        return true;
    }

    /** FILETIME of 1990-01-01 and 2200-01-01. */
    private static final long FILETIME_1990 = 0x01B41E2A18D64000L;
    private static final long FILETIME_2200 = 0x029F8E129EF10000L;

    private static boolean plausibleTime(long fileTime) {
        return fileTime == 0 || (fileTime >= FILETIME_1990 && fileTime <= FILETIME_2200);
    }

    /** @return the FILETIME (100 ns ticks since 1601) as an Instant, or null for zero */
    public static Instant instant(long fileTime) {
        if (fileTime == 0) {
            return null;
        }
        long seconds = Math.floorDiv(fileTime, 10_000_000L) - 11_644_473_600L;
        long nanos = Math.floorMod(fileTime, 10_000_000L) * 100;
        return Instant.ofEpochSecond(seconds, nanos);
    }
}
