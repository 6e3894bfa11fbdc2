package org.vestige.synth.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.vestige.synth.SynthTruth;

/**
 * Stale process objects in a dense image's free memory: pool blocks of _EPROCESS structures freed long ago whose
 * frames went back to the free list with their bytes, as a physical scan of a real machine meets them. Each is a
 * copy of an exited process's object (its _OBJECT_HEADER and _EPROCESS) with its own process id, name and
 * times, in a frame of free memory no kernel address maps, its pool header tagged 'Proc' and marked free:
 * <ul>
 * <li>a whole copy, which a scan reports as an exited process off the active list (nothing in it contradicts an
 * _EPROCESS; only where it lies, in no mapped page, says it is stale);</li>
 * <li>a torn copy, whose page was partly reused: its DirectoryTableBase and Pcb header are overwritten, so a scan
 * must reject it.</li>
 * </ul>
 * The truth lists both ({@link SynthTruth#remnants()}).
 */
final class RemnantWriter {

    private static final int PAGE = 4096;
    private static final long PROC = 0x636F7250L; // 'Proc'

    private final Machine machine;

    RemnantWriter(Machine machine) {
        this.machine = machine;
    }

    /**
     * @param model     the exited process whose object the copies are made from
     * @param pidsInUse process ids the image's processes hold (the copies take others)
     */
    List<SynthTruth.Remnant> write(PlacedProcess model, Set<Long> pidsInUse) {
        StructBuffer e = new StructBuffer(machine.profile, "_EPROCESS");
        int bodyOffset = (int) new StructBuffer(machine.profile, "_OBJECT_HEADER").offset("Body");
        byte[] header = read(model.eprocess - bodyOffset, bodyOffset);
        byte[] body = read(model.eprocess, e.size());
        long seed = machine.options.seed() * 0x2545F4914F6CDD1DL + 0x52454D4EL;
        java.util.SplittableRandom r = new java.util.SplittableRandom(seed);
        List<SynthTruth.Remnant> out = new ArrayList<>();
        String[] names = {"msiexec.exe", "TrustedInstall"};
        for (int i = 0; i < names.length; i++) {
            boolean torn = i == 1;
            long pid = 4L * (2000 + r.nextInt(3000));
            while (pidsInUse.contains(pid)) {
                pid += 4;
            }
            // created and gone hours before the model process: the frame has been free since
            long create = model.createFileTime - (2 + r.nextInt(20)) * 36_000_000_000L;
            long exit = create + (1 + r.nextInt(600)) * 10_000_000L;
            byte[] eprocess = body.clone();
            Le.put(eprocess, (int) e.offset("UniqueProcessId"), pid, 8);
            Le.put(eprocess, (int) e.offset("CreateTime"), create, 8);
            if (e.has("ExitTime")) {
                Le.put(eprocess, (int) e.offset("ExitTime"), exit, 8);
            }
            int name = (int) e.offset("ImageFileName");
            java.util.Arrays.fill(eprocess, name, name + 15, (byte) 0);
            byte[] n = names[i].getBytes(java.nio.charset.StandardCharsets.US_ASCII);
            System.arraycopy(n, 0, eprocess, name, Math.min(n.length, 14));
            String damage = null;
            if (torn) {
                // the start of the object was overwritten when the frame was briefly used again
                int dtb = (int) e.offset("Pcb.DirectoryTableBase");
                java.util.Arrays.fill(eprocess, 0, dtb + 8, (byte) 0);
                damage = "Pcb (its header and DirectoryTableBase) overwritten with zeros";
            }
            long frame = machine.memory.claimFreeFrame(seed + i);
            byte[] page = new byte[PAGE];
            FreeMemory.frame(seed + i, frame / PAGE, page);
            int total = 0x10 + bodyOffset + eprocess.length;
            int at = 0x10 * r.nextInt((PAGE - total) / 0x10 + 1);
            page[at + 2] = (byte) Math.min((total + 0xf) / 0x10, 0xff); // BlockSize
            page[at + 3] = 0; // PoolType: freed
            Le.put(page, at + 4, PROC, 4);
            Le.put(page, at + 8, 0, 8);
            System.arraycopy(header, 0, page, at + 0x10, bodyOffset);
            System.arraycopy(eprocess, 0, page, at + 0x10 + bodyOffset, eprocess.length);
            machine.memory.write(frame, page);
            out.add(new SynthTruth.Remnant(frame + at, pid, names[i].substring(0, Math.min(names[i].length(), 14)),
                    create, exit, !torn, damage));
        }
        return List.copyOf(out);
    }

    /** Reads {@code length} bytes of the kernel's address space at {@code va}, page by page. */
    private byte[] read(long va, int length) {
        byte[] out = new byte[length];
        int done = 0;
        while (done < length) {
            long at = va + done;
            int n = (int) Math.min(length - done, PAGE - (at & (PAGE - 1)));
            long pa = machine.kernel.translate(at);
            if (pa < 0) {
                throw new IllegalStateException("the model _EPROCESS at 0x" + Long.toHexString(va)
                        + " is not mapped at 0x" + Long.toHexString(at));
            }
            System.arraycopy(machine.memory.readPage(pa & ~(PAGE - 1L)), (int) (pa & (PAGE - 1)), out, done, n);
            done += n;
        }
        return out;
    }
}
