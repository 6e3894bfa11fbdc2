package org.vestige.plugin.registry;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

import org.vestige.core.plugin.AnalysisContext;
import org.vestige.core.evidence.EvidenceCase;
import org.vestige.core.evidence.EvidenceException;
import org.vestige.core.plugin.AnalysisException;
import org.vestige.core.plugin.MissingInputException;
import org.vestige.core.result.Diagnostic;
import org.vestige.registry.Hive;
import org.vestige.registry.HiveException;
import org.vestige.registry.HiveResidence;
import org.vestige.registry.LoadedHive;
import org.vestige.registry.MemoryHives;
import org.vestige.registry.credentials.LsaSecrets;
import org.vestige.registry.credentials.SamHashes;

/**
 * The hives an analysis reads: the files given with {@code --hive} (opened read-only and recognised by
 * what they hold — a SYSTEM hive has {@code Select}, a SAM hive {@code SAM\Domains\Account}, a
 * SECURITY hive {@code Policy\Secrets} — not by their names), or without {@code --hive} the hives
 * loaded in the memory image, chosen by the path the kernel loaded them under
 * ({@code \REGISTRY\MACHINE\SYSTEM}, {@code …\SAM}, {@code …\SECURITY}) and read through their cell maps.
 */
final class Hives implements AutoCloseable {

    /** How many unreadable pages a message names before it only counts the rest. */
    static final int PAGES_NAMED = 16;

    /**
     * One hive.
     *
     * @param name   the file name, or the path the kernel loaded the hive under
     * @param hive   its cells
     * @param loaded the hive's _CMHIVE when it was read from memory, else null
     * @param memory the image's hives when it was read from memory, else null
     */
    record Named(String name, Hive hive, LoadedHive loaded, MemoryHives memory) {

        boolean inMemory() {
            return loaded != null;
        }

        /** @return a label naming the hive and, in memory, its _CMHIVE */
        String label() {
            return loaded == null ? name : name + " (_CMHIVE 0x" + Long.toHexString(loaded.address()) + ")";
        }

        /** @return the hive's unreadable pages, named (empty for files and fully readable hives) */
        String unreadablePages() {
            if (memory == null) {
                return "";
            }
            HiveResidence r = memory.residence(loaded);
            return r.describeUnreadable(PAGES_NAMED);
        }
    }

    private final List<Named> hives = new ArrayList<>();
    private final List<Diagnostic> notes = new ArrayList<>();
    private final boolean memory;

    private Hives(boolean memory) {
        this.memory = memory;
    }

    /**
     * Opens the {@code --hive} files, or without them the hives of the memory image.
     *
     * @param only in memory, only the hive whose _CMHIVE is at this address (0 for all)
     */
    static Hives open(AnalysisContext context, long only) throws AnalysisException {
        List<Path> files = context.options().all("hive", Path.class);
        if (!files.isEmpty()) {
            Hives h = new Hives(false);
            for (Path p : files) {
                try {
                    EvidenceCase.requireReadableFile(p);
                    h.hives.add(new Named(p.getFileName().toString(), Hive.open(p), null, null));
                } catch (EvidenceException e) {
                    h.close();
                    throw new AnalysisException(e.getMessage(), e);
                } catch (IOException | RuntimeException e) {
                    h.close();
                    throw new AnalysisException("cannot open hive " + p + ": " + e.getMessage(),
                            new EvidenceException(p, "cannot be opened as a hive: " + e.getMessage(), e));
                }
            }
            return h;
        }
        if (context.evidenceCase().isEmpty()) {
            throw new MissingInputException(context.plugin().id() + " needs hive files (--hive FILE) or a memory "
                    + "image (-f IMAGE)");
        }
        return fromMemory(MemoryHives.of(context), only);
    }

    /** Opens the hives of a memory image (all, or only the one whose _CMHIVE is at {@code only}). */
    static Hives fromMemory(MemoryHives image, long only) throws AnalysisException {
        Hives h = new Hives(true);
        for (String w : image.listing().warnings()) {
            h.notes.add(new Diagnostic(Diagnostic.Severity.WARNING, "hive list", w));
        }
        for (LoadedHive loaded : image.hives()) {
            if (only != 0 && loaded.address() != only) {
                continue;
            }
            String name = loaded.name();
            for (String n : loaded.notes()) {
                h.notes.add(new Diagnostic(Diagnostic.Severity.WARNING, name + " (_CMHIVE 0x" + Long.toHexString(
                        loaded.address()) + ")", n));
            }
            try {
                h.hives.add(new Named(name, Hive.open(image.source(loaded)), loaded, image));
            } catch (HiveException e) {
                h.notes.add(new Diagnostic(Diagnostic.Severity.ERROR, name + " (_CMHIVE 0x" + Long.toHexString(
                        loaded.address()) + ")", "cannot be read: " + e.getMessage()));
            }
        }
        if (only != 0 && h.hives.isEmpty()) {
            throw new AnalysisException("no hive on the hive list has its _CMHIVE at 0x" + Long.toHexString(only)
                    + " (windows.registry.hivelist lists them)");
        }
        return h;
    }

    boolean inMemory() {
        return memory;
    }

    /** @return problems met while finding the hives (broken list links, unreadable names) */
    List<Diagnostic> notes() {
        return notes;
    }

    List<Named> all() {
        return hives;
    }

    Optional<Named> system() {
        return find("SYSTEM", "Select");
    }

    Optional<Named> sam() {
        return find("SAM", SamHashes.ACCOUNT_KEY);
    }

    Optional<Named> security() {
        return find("SECURITY", LsaSecrets.SECRETS);
    }

    Named require(Optional<Named> hive, String what) throws AnalysisException {
        if (hive.isPresent()) {
            return hive.get();
        }
        if (memory) {
            throw new AnalysisException("no hive on the image's hive list is \\REGISTRY\\MACHINE\\" + what
                    + " (hives: " + hives.stream().map(Named::name).toList() + "); give the hive file with --hive");
        }
        throw new AnalysisException("none of the hives given (" + hives.stream().map(Named::name).toList()
                + ") is a " + what + " hive; give it with --hive");
    }

    /** In memory by the path the hive was loaded under, else (and failing that) by its contents. */
    private Optional<Named> find(String machineHive, String keyPath) {
        if (memory) {
            Optional<Named> byPath = first(h -> h.loaded().isMachineHive(machineHive));
            if (byPath.isPresent()) {
                return byPath;
            }
        }
        return first(h -> {
            try {
                return h.hive().findKey(keyPath).isPresent();
            } catch (RuntimeException e) {
                return false;
            }
        });
    }

    private Optional<Named> first(Predicate<Named> test) {
        return hives.stream().filter(test).findFirst();
    }

    @Override
    public void close() {
        hives.forEach(h -> h.hive().close());
    }
}
