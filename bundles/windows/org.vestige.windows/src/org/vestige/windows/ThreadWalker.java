package org.vestige.windows;

import static org.vestige.windows.MemoryReader.hex;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import org.vestige.core.layer.Layer;
import org.vestige.core.types.Profile;
import org.vestige.windows.internal.Bytes;
import org.vestige.windows.internal.FieldPath;

/**
 * Walks a process's thread list ({@code _EPROCESS.ThreadListHead} → {@code _ETHREAD.ThreadListEntry})
 * and reads each thread's identity, state, start addresses and creation time through the profile's field
 * offsets. The walk is a {@link ListWalk}: bounded, cycle-checked, recovering the rest of a broken list
 * from the head's Blink chain. A thread whose _ETHREAD cannot be read or whose thread id is implausible
 * is skipped with a warning naming its address; a field the profile lacks is a missing value saying so.
 *
 * @since 0.1
 */
public final class ThreadWalker {

    /** No process has more threads than this on its list; beyond it the list is garbage. */
    public static final int MAX_THREADS = 65536;

    private final MemoryReader reader;
    private final Profile profile;
    private final int size;
    private final int head;
    private final int links;
    private final int pid;
    private final int tid;
    private final int state;
    private final int start;
    private final int win32Start;
    private final int create;
    private final int teb;

    /**
     * @param kernel the kernel's address space (threads live in non-paged pool)
     * @throws java.util.NoSuchElementException naming the thread-list field the profile lacks
     */
    public ThreadWalker(Layer kernel, Profile profile) {
        this.reader = new MemoryReader(Objects.requireNonNull(kernel));
        this.profile = Objects.requireNonNull(profile);
        this.size = (int) profile.requireStruct("_ETHREAD").size();
        this.head = (int) FieldPath.require(profile, "_EPROCESS", "ThreadListHead").offset();
        this.links = (int) FieldPath.require(profile, "_ETHREAD", "ThreadListEntry").offset();
        this.pid = (int) FieldPath.require(profile, "_ETHREAD", "Cid.UniqueProcess").offset();
        this.tid = (int) FieldPath.require(profile, "_ETHREAD", "Cid.UniqueThread").offset();
        this.state = FieldPath.offsetOrMinus1(profile, "_ETHREAD", "Tcb.State");
        this.start = FieldPath.offsetOrMinus1(profile, "_ETHREAD", "StartAddress");
        this.win32Start = FieldPath.offsetOrMinus1(profile, "_ETHREAD", "Win32StartAddress");
        this.create = FieldPath.offsetOrMinus1(profile, "_ETHREAD", "CreateTime");
        this.teb = FieldPath.offsetOrMinus1(profile, "_ETHREAD", "Tcb.Teb");
    }

    /** Walks the thread list of {@code process}. */
    public ThreadList walk(WinProcess process) {
        ListWalk.Result r = new ListWalk(reader, true, MAX_THREADS).walk(process.eprocess() + head, process
                + " ThreadListHead", e -> "_ETHREAD at " + hex(e - links));
        List<String> warnings = new ArrayList<>(r.warnings());
        List<WinThread> threads = new ArrayList<>();
        for (long link : r.entries()) {
            long ethread = link - links;
            Readout<byte[]> bytes = reader.bytes(ethread, size, "_ETHREAD");
            if (!bytes.isPresent()) {
                warnings.add(bytes.reason() + "; skipped");
                continue;
            }
            byte[] b = bytes.get();
            long id = Bytes.u64(b, tid);
            if (id <= 0 || id > 0xffffffffL || (id & 3) != 0) {
                warnings.add("_ETHREAD at " + hex(ethread) + " has an implausible thread id " + id + "; skipped");
                continue;
            }
            long owner = Bytes.u64(b, pid);
            if (owner != process.pid()) {
                warnings.add("_ETHREAD at " + hex(ethread) + " (thread " + id + ") says it belongs to pid " + owner
                        + ", not " + process.pid());
            }
            Readout<Long> created = field(b, create, "CreateTime");
            threads.add(new WinThread(ethread, owner, id, state < 0 ? lacking("Tcb.State")
                    : Readout.of(b[state] & 0xff), field(b, start, "StartAddress"), field(b, win32Start,
                            "Win32StartAddress"), created.flatMap(t -> t == 0 ? Readout.missing("_ETHREAD at "
                                    + hex(ethread) + ": CreateTime is zero") : Readout.of(ProcessWalker.instant(t))),
                    teb < 0 ? 0 : Bytes.u64(b, teb)));
        }
        return new ThreadList(threads, warnings);
    }

    private Readout<Long> field(byte[] b, int offset, String name) {
        return offset < 0 ? lacking(name) : Readout.of(Bytes.u64(b, offset));
    }

    private <T> Readout<T> lacking(String name) {
        return Readout.missing("profile " + profile.source() + " has no _ETHREAD." + name);
    }
}
