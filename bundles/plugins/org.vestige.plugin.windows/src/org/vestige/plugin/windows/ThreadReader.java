package org.vestige.plugin.windows;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.vestige.core.layer.Layer;
import org.vestige.core.layer.PageProvenance;
import org.vestige.core.types.Profile;
import org.vestige.windows.ThreadList;
import org.vestige.windows.ThreadWalker;
import org.vestige.windows.WinProcess;
import org.vestige.windows.WinThread;

/**
 * Reads what a minidump needs of a process's threads (listed by the engine's {@link ThreadWalker}): the
 * thread id, the TEB and the user stack bounds from the TEB's {@code NT_TIB}, and the user-mode
 * registers from the thread's trap frame when it holds them. A trap frame saves only what the kernel
 * entry saves — the volatile registers, rbp, the stack pointer and rip — so rbx, rsi, rdi and r12–r15
 * are not known and the context says so.
 */
final class ThreadReader {

    /** The 64-bit user code selector: a trap frame with another CS was taken in kernel mode. */
    private static final int USER_CS = 0x33;
    /** {@code CONTEXT_AMD64 | CONTEXT_CONTROL | CONTEXT_INTEGER}. */
    static final long CONTROL_INTEGER = 0x100003;
    /** The trap-frame registers a context takes, by {@code _KTRAP_FRAME} field and context name. */
    private static final String[][] REGISTERS = {{"Rip", "rip"}, {"Rsp", "rsp"}, {"Rbp", "rbp"}, {"Rax", "rax"},
        {"Rcx", "rcx"}, {"Rdx", "rdx"}, {"R8", "r8"}, {"R9", "r9"}, {"R10", "r10"}, {"R11", "r11"}};

    /**
     * One thread.
     *
     * @param ethread    its _ETHREAD
     * @param tid        Cid.UniqueThread
     * @param teb        Tcb.Teb (0 for a thread without user mode)
     * @param stackBase  NT_TIB.StackBase (one past the highest stack address), or 0 when unknown
     * @param stackLimit NT_TIB.StackLimit (the lowest committed stack address), or 0 when unknown
     * @param registers  register name to value from the trap frame, empty when not recoverable
     * @param note       why the stack or the registers are not known, or null
     */
    record Thread(long ethread, long tid, long teb, long stackBase, long stackLimit, Map<String, Long> registers,
            String note) {
    }

    /** The threads found and what went wrong on the way. */
    record Threads(List<Thread> threads, List<String> warnings) {
    }

    private final Layer kernel;
    private final Profile profile;

    ThreadReader(Layer kernel, Profile profile) {
        this.kernel = kernel;
        this.profile = profile;
    }

    /** @return why the profile cannot say where a process's threads are, or null when it can */
    String unsupported() {
        for (String[] f : new String[][] {{"_EPROCESS", "ThreadListHead"}, {"_ETHREAD", "ThreadListEntry"},
            {"_ETHREAD", "Cid.UniqueThread"}, {"_ETHREAD", "Tcb.Teb"}}) {
            if (!profile.has(f[0], f[1])) {
                return "the profile has no " + f[0] + "." + f[1];
            }
        }
        return null;
    }

    /**
     * @param user the process's own address space (where its TEBs and stacks are)
     */
    Threads read(WinProcess process, Layer user) {
        String why = unsupported();
        if (why != null) {
            return new Threads(List.of(), List.of("threads not listed: " + why));
        }
        ThreadList list = new ThreadWalker(kernel, profile).walk(process);
        List<String> warnings = new ArrayList<>(list.warnings());
        List<Thread> out = new ArrayList<>();
        for (WinThread t : list.threads()) {
            long ethread = t.ethread();
            long teb = t.teb();
            List<String> notes = new ArrayList<>();
            long base = 0;
            long limit = 0;
            if (teb == 0) {
                notes.add("no TEB (a thread without user mode)");
            } else {
                Long b = qword(user, teb + tib("StackBase", 8));
                Long l = qword(user, teb + tib("StackLimit", 16));
                if (b == null || l == null) {
                    notes.add("stack bounds not known: the TEB at 0x" + Long.toHexString(teb) + " cannot be read ("
                            + reason(user, teb) + ")");
                } else if (Long.compareUnsigned(l, b) >= 0 || b <= 0) {
                    notes.add("stack bounds not known: the TEB's StackLimit 0x" + Long.toHexString(l)
                            + " is not below its StackBase 0x" + Long.toHexString(b));
                } else {
                    base = b;
                    limit = l;
                }
            }
            Map<String, Long> registers = new LinkedHashMap<>();
            String context = trapFrame(ethread, registers);
            if (context != null) {
                notes.add(context);
            }
            out.add(new Thread(ethread, t.tid(), teb, base, limit, Map.copyOf(registers), notes.isEmpty() ? null
                    : String.join("; ", notes)));
        }
        return new Threads(out, warnings);
    }

    /** Reads the user-mode registers of a thread's trap frame into {@code registers}; returns why not, or null. */
    private String trapFrame(long ethread, Map<String, Long> registers) {
        if (!profile.has("_ETHREAD", "Tcb.TrapFrame") || !profile.has("_KTRAP_FRAME", "SegCs")) {
            return "no context: the profile has no _KTHREAD.TrapFrame or _KTRAP_FRAME";
        }
        Long frame = qword(kernel, ethread + profile.offset("_ETHREAD", "Tcb.TrapFrame"));
        if (frame == null || frame == 0) {
            return "no context: the thread has no trap frame";
        }
        int size = (int) profile.requireStruct("_KTRAP_FRAME").size();
        byte[] b = new byte[size];
        if (kernel.read(frame, b, 0, size) != size) {
            return "no context: the trap frame at 0x" + Long.toHexString(frame) + " cannot be read (" + reason(kernel,
                    frame) + ")";
        }
        ByteBuffer t = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
        int cs = t.getShort((int) profile.offset("_KTRAP_FRAME", "SegCs")) & 0xffff;
        if (cs != USER_CS) {
            return "no context: the trap frame at 0x" + Long.toHexString(frame) + " was taken in kernel mode (CS 0x"
                    + Integer.toHexString(cs) + ")";
        }
        for (String[] r : REGISTERS) {
            if (profile.has("_KTRAP_FRAME", r[0])) {
                registers.put(r[1], t.getLong((int) profile.offset("_KTRAP_FRAME", r[0])));
            }
        }
        if (profile.has("_KTRAP_FRAME", "EFlags")) {
            registers.put("eflags", t.getInt((int) profile.offset("_KTRAP_FRAME", "EFlags")) & 0xffffffffL);
        }
        registers.put("cs", (long) cs);
        if (profile.has("_KTRAP_FRAME", "SegSs")) {
            registers.put("ss", (long) (t.getShort((int) profile.offset("_KTRAP_FRAME", "SegSs")) & 0xffff));
        }
        if (!registers.containsKey("rip") || !registers.containsKey("rsp")) {
            registers.clear();
            return "no context: the profile's _KTRAP_FRAME has no Rip or Rsp";
        }
        registers.put("contextflags", CONTROL_INTEGER);
        return "registers from the trap frame at 0x" + Long.toHexString(frame)
                + " (rbx, rsi, rdi and r12-r15 are not saved there and are written as 0)";
    }

    /** Offset of an NT_TIB field (the TEB starts with its NT_TIB), from the profile or the fixed x64 layout. */
    private long tib(String field, long x64) {
        return profile.has("_NT_TIB", field) ? profile.offset("_NT_TIB", field) : x64;
    }

    private static Long qword(Layer layer, long va) {
        byte[] b = new byte[8];
        if (layer.read(va, b, 0, 8) != 8) {
            return null;
        }
        return ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).getLong();
    }

    private static String reason(Layer layer, long va) {
        PageProvenance p = layer.provenance(va);
        return p instanceof PageProvenance.Missing m ? m.reason() : p.kind();
    }
}
