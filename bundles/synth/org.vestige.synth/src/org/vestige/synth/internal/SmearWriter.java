package org.vestige.synth.internal;

import java.util.List;
import java.util.Random;

import org.vestige.core.types.Profile;
import org.vestige.synth.PageTableBuilder;
import org.vestige.synth.SynthOptions;
import org.vestige.synth.SynthTruth;

/**
 * Damages one kernel structure the way an acquisition that ran while the system changed leaves it
 * ({@link SynthOptions.Smear}), after everything else is written.
 */
final class SmearWriter {

    private final Machine machine;
    private final Profile profile;
    private final SynthOptions options;
    private final Random random;
    private final PageTableBuilder kernel;
    private final List<Long> kernelModuleEntries;

    SmearWriter(Machine machine) {
        this.machine = machine;
        profile = machine.profile;
        options = machine.options;
        random = machine.random;
        kernel = machine.kernel;
        kernelModuleEntries = machine.kernelModuleEntries;
    }

    SynthTruth.SmearInfo applySmear(List<PlacedProcess> procs, long linksOff) {
        if (options.smear() == SynthOptions.Smear.NONE) {
            return null;
        }
        int k = 3 + random.nextInt(procs.size() - 6);
        PlacedProcess victim = procs.get(k);
        long links = victim.eprocess + linksOff;
        switch (options.smear()) {
            case MODULE_BROKEN_FLINK -> {
                int m = 1 + random.nextInt(kernelModuleEntries.size() - 2);
                long entry = kernelModuleEntries.get(m);
                String type = profile.struct("_KLDR_DATA_TABLE_ENTRY").isPresent() ? "_KLDR_DATA_TABLE_ENTRY"
                        : "_LDR_DATA_TABLE_ENTRY";
                long bogus = machine.poolBase + 0x7E000000L + 0x1000L * random.nextInt(0x1000) + 0x20;
                kernel.writeLong(entry + profile.offset(type, "InLoadOrderLinks"), bogus);
                return new SynthTruth.SmearInfo(options.smear(), 0, -1, entry, "InLoadOrderLinks.Flink -> unmapped 0x"
                        + Long.toHexString(bogus));
            }
            case VAD_CYCLE -> {
                while (!victim.user || victim.vadLeaf == 0) {
                    victim = procs.get(++k);
                }
                String left = profile.has("_MMVAD_SHORT", "VadNode.Left") ? "VadNode.Left" : "LeftChild";
                kernel.writeLong(victim.vadLeaf + profile.offset("_MMVAD_SHORT", left), victim.vadRoot);
                return new SynthTruth.SmearInfo(options.smear(), victim.eprocess, victim.pid, victim.vadLeaf,
                        "leaf VAD's Left child -> root 0x" + Long.toHexString(victim.vadRoot));
            }
            case BROKEN_FLINK -> {
                long bogus = machine.poolBase + 0x7F000000L + 0x1000L * random.nextInt(0x1000) + 0x448;
                kernel.writeLong(links, bogus);
                return new SynthTruth.SmearInfo(options.smear(), victim.eprocess, victim.pid, victim.eprocess,
                        "Flink -> unmapped 0x" + Long.toHexString(bogus));
            }
            case CYCLE -> {
                int j = 1 + random.nextInt(k - 1);
                kernel.writeLong(links, procs.get(j).eprocess + linksOff);
                return new SynthTruth.SmearInfo(options.smear(), victim.eprocess, victim.pid, victim.eprocess,
                        "Flink -> earlier process pid " + procs.get(j).pid);
            }
            case HALF_WRITTEN -> {
                long size = profile.requireStruct("_EPROCESS").size();
                long flink = kernel.readLong(links);
                long blink = kernel.readLong(links + 8);
                kernel.write(victim.eprocess, new byte[(int) size]);
                kernel.writeLong(links, flink);
                kernel.writeLong(links + 8, blink);
                byte[] junk = new byte[15];
                random.nextBytes(junk);
                kernel.write(victim.eprocess + profile.offset("_EPROCESS", "ImageFileName"), junk);
                return new SynthTruth.SmearInfo(options.smear(), victim.eprocess, victim.pid, victim.eprocess,
                        "_EPROCESS zeroed apart from its links; ImageFileName is junk");
            }
            case HANDLE_TABLE_CYCLE, HANDLE_WILD_OBJECT, HANDLE_BAD_TYPE -> {
                if (machine.handleTables == null) {
                    throw new IllegalArgumentException(options.smear() + " needs handle tables, which this image "
                            + "has not: " + machine.objectTypes.missing);
                }
                return machine.handleTables.smear(options.smear());
            }
            default -> throw new IllegalStateException();
        }
    }
}
