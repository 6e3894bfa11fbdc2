package org.vestige.windows;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;

import org.vestige.core.layer.Layer;
import org.vestige.core.types.Profile;
import org.vestige.windows.DiscoveryReport.Attempt;
import org.vestige.windows.internal.PeImage;

/**
 * What kernel discovery found, as the facts the case cache keeps for the image ({@code windows.*}), and the cheap
 * check that lets a later open of the unchanged image use them instead of discovering again: the profile named
 * is still installed and reads, the DTB still translates the kernel base, the kernel image there still names the
 * recorded PDB, and the process list still fits the profile's {@code _EPROCESS}. A fact that does not hold
 * is reported with the reason, and discovery runs in full.
 *
 * @since 0.1
 */
public final class DiscoveryFacts {

    /** The version of the facts' meaning; facts of another version are not used. */
    static final String VERSION = "1";
    static final String PREFIX = "windows.";
    /** The {@code windows.profile} of facts found with an analyst's {@code --symbols} table, not an installed one. */
    public static final String SYMBOLS = "--symbols";
    /** The discovery report's step saying the facts came from the case cache. */
    public static final String STEP = "case cache";

    private static final int LIST_ENTRIES_CHECKED = 4;

    private DiscoveryFacts() {
    }

    /**
     * @return whether a discovery is worth recording: complete, and its profile validated by a list walk that
     *         read and fitted (not one kept because the image lacked the bytes to check it, which the next open
     *         could not check either)
     */
    public static boolean worthRecording(KernelDiscovery d) {
        return d.complete() && d.report().find("profile " + d.profile().source()).stream().anyMatch(a -> a
                .outcome() == DiscoveryReport.Outcome.FOUND && a.detail().equals("validated"));
    }

    /**
     * @param d         a complete discovery
     * @param profileId the id of the installed profile it chose, or {@link #SYMBOLS}
     * @return the facts to record for the image
     */
    public static Map<String, String> of(KernelDiscovery d, String profileId) {
        Map<String, String> f = new LinkedHashMap<>();
        f.put(PREFIX + "version", VERSION);
        f.put(PREFIX + "dtb", hex(d.dtb()));
        f.put(PREFIX + "selfMapIndex", Integer.toString(d.selfMapIndex()));
        f.put(PREFIX + "kernelBase", hex(d.kernelBase()));
        f.put(PREFIX + "kernelSize", hex(d.kernelSize()));
        f.put(PREFIX + "pdb", d.pdb() == null ? "" : d.pdb().name() + "|" + d.pdb().guid() + "|" + d.pdb().age());
        f.put(PREFIX + "build", Integer.toString(d.build()));
        f.put(PREFIX + "kdbg", hex(d.kdbg()));
        f.put(PREFIX + "kdbgEncoded", Boolean.toString(d.kdbgEncoded()));
        f.put(PREFIX + "psActiveProcessHead", hex(d.psActiveProcessHead()));
        f.put(PREFIX + "psLoadedModuleList", hex(d.psLoadedModuleList()));
        f.put(PREFIX + "profile", profileId);
        f.put(PREFIX + "profileSource", d.profile().source());
        f.put(PREFIX + "invalidPteMask", hex(d.kernel().translator().layout().invalidPteMask()));
        return f;
    }

    /** Loads the profile recorded facts name, or says why it cannot. */
    @FunctionalInterface
    public interface ProfileLoader {
        /**
         * @param id     the installed profile's id, or {@link #SYMBOLS}
         * @param source the ISF it was read from
         * @return the profile
         * @throws IllegalStateException naming why it cannot be loaded (not installed, unreadable, not given)
         */
        Profile load(String id, String source);
    }

    /**
     * The outcome of {@link #restore}: the discovery made from the facts, or why they were not used.
     *
     * @param discovery the discovery, or {@code null}
     * @param ignored   why the facts were not used, or {@code null}
     */
    public record Restored(KernelDiscovery discovery, String ignored) {
    }

    /**
     * Rebuilds a discovery from recorded facts after checking them against the image.
     *
     * @param physical the image's physical layer
     * @param facts    the facts recorded for the image (other components' facts are ignored)
     * @param profiles loads the profile the facts name
     * @return the discovery, or why the facts do not hold; empty when no discovery facts were recorded
     */
    public static Optional<Restored> restore(Layer physical, Map<String, String> facts, ProfileLoader profiles) {
        if (!facts.containsKey(PREFIX + "version")) {
            return Optional.empty();
        }
        try {
            return Optional.of(validated(physical, facts, profiles));
        } catch (IllegalStateException e) {
            return Optional.of(new Restored(null, e.getMessage()));
        }
    }

    private static Restored validated(Layer physical, Map<String, String> facts, ProfileLoader profiles) {
        if (!VERSION.equals(facts.get(PREFIX + "version"))) {
            throw new IllegalStateException("they are of version " + facts.get(PREFIX + "version") + ", not "
                    + VERSION);
        }
        long dtb = number(facts, "dtb");
        long base = number(facts, "kernelBase");
        long head = number(facts, "psActiveProcessHead");
        PdbIdentity pdb = pdb(facts.get(PREFIX + "pdb"));
        Profile profile = profiles.load(text(facts, "profile"), text(facts, "profileSource"));
        if (!profile.source().equals(text(facts, "profileSource"))) {
            throw new IllegalStateException("the profile " + text(facts, "profile") + " now reads from "
                    + profile.source() + ", not " + text(facts, "profileSource"));
        }
        PteLayout layout;
        try {
            layout = PteLayout.from(profile).withInvalidPteMask(number(facts, "invalidPteMask"));
        } catch (NoSuchElementException e) {
            throw new IllegalStateException("the profile has no PTE layout: " + e.getMessage());
        }
        X64Layer kernel = X64Layer.kernel(physical, layout, dtb);
        if (kernel.translate(base) < 0) {
            throw new IllegalStateException("the DTB " + hex(dtb) + " no longer translates the kernel base "
                    + hex(base));
        }
        PdbIdentity there;
        try {
            there = PeImage.read(kernel, base).codeView(kernel).map(cv -> new PdbIdentity(cv.pdbName(), cv.guid(),
                    cv.age())).orElse(null);
        } catch (PeImage.NotPeException e) {
            throw new IllegalStateException("no kernel image at " + hex(base) + " (" + e.getMessage() + ")");
        }
        if (!java.util.Objects.equals(pdb, there)) {
            throw new IllegalStateException("the kernel image at " + hex(base) + " names PDB " + (there == null
                    ? "none" : there.key()) + ", not the recorded " + (pdb == null ? "none" : pdb.key()));
        }
        ProcessWalker.ListFit fit;
        try {
            fit = new ProcessWalker(kernel, profile).fit(head, LIST_ENTRIES_CHECKED);
        } catch (NoSuchElementException e) {
            throw new IllegalStateException("the profile lacks an _EPROCESS field: " + e.getMessage());
        }
        if (!fit.fits()) {
            throw new IllegalStateException("the process list at " + hex(head) + " no longer fits: " + fit.problem());
        }
        DiscoveryReport report = new DiscoveryReport();
        Attempt step = report.root().child(STEP);
        step.found("facts recorded on an earlier open of this unchanged file, checked now: the DTB " + hex(dtb)
                + " translates the kernel base " + hex(base) + ", whose image names PDB " + (pdb == null ? "none"
                        : pdb.key()) + "; the process list at " + hex(head) + " fits " + profile.source());
        KernelDiscovery d = new KernelDiscovery(dtb, (int) number(facts, "selfMapIndex"), base, (int) number(facts,
                "kernelSize"), pdb, (int) number(facts, "build"), number(facts, "kdbg"), Boolean.parseBoolean(facts
                        .get(PREFIX + "kdbgEncoded")), head, number(facts, "psLoadedModuleList"), profile, kernel,
                report);
        return new Restored(d, null);
    }

    private static PdbIdentity pdb(String value) {
        if (value == null || value.isEmpty()) {
            return null;
        }
        String[] parts = value.split("\\|");
        try {
            return new PdbIdentity(parts[0], parts[1], Integer.parseInt(parts[2]));
        } catch (RuntimeException e) {
            throw new IllegalStateException("the recorded PDB '" + value + "' does not parse");
        }
    }

    private static String text(Map<String, String> facts, String name) {
        String v = facts.get(PREFIX + name);
        if (v == null || v.isEmpty()) {
            throw new IllegalStateException("they lack " + PREFIX + name);
        }
        return v;
    }

    private static long number(Map<String, String> facts, String name) {
        String v = text(facts, name);
        try {
            return v.startsWith("0x") ? Long.parseUnsignedLong(v.substring(2), 16) : Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw new IllegalStateException("their " + PREFIX + name + " '" + v + "' is not a number");
        }
    }

    private static String hex(long v) {
        return "0x" + Long.toHexString(v);
    }
}
