package org.vestige.plugin.windows;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

import org.vestige.core.layer.PageProvenance;
import org.vestige.core.types.Profile;
import org.vestige.windows.KernelDiscovery;
import org.vestige.windows.Readout;
import org.vestige.windows.PageMapper;
import org.vestige.windows.WinProcess;
import org.vestige.windows.WindowsKernel;
import org.vestige.windows.X64Layer;

/**
 * Whether Virtual Secure Mode (VBS) was running when the image was taken, and which memory a VTL0
 * acquisition could not hold because it belongs to VTL1: the secure kernel and the private pages of
 * isolated user-mode (IUM) processes such as LsaIso.exe.
 *
 * <p>Every indicator says what was checked and what it showed; a field or symbol the profile lacks is
 * reported as not checked on this build, never as "no". Runtime indicators decide the verdict: the
 * kernel's {@code VslVsmEnabled} byte, the Secure System process (the minimal process the kernel
 * creates for the secure kernel only when VSM is enabled) and the secure-process flag of each
 * {@code _KPROCESS}. The DeviceGuard and Credential Guard values in SYSTEM say what was configured,
 * which is not proof that it ran.
 *
 * @since 0.1
 */
public final class VirtualSecureMode {

    /** The kernel variable set to 1 when the secure kernel runs. */
    public static final String VSM_ENABLED_SYMBOL = "VslVsmEnabled";

    /** Where the kernel maps _KUSER_SHARED_DATA on x64. */
    private static final long KUSER_SHARED_DATA = 0xFFFFF78000000000L;

    /** The most user pages counted per process, so that a damaged page table cannot make the count unbounded. */
    static final long MAX_PAGES = 1L << 22;

    /** Trustlets Windows ships, by image name (ImageFileName, at most 15 characters). */
    static final Set<String> TRUSTLET_NAMES = Set.of("lsaiso.exe", "vmsp.exe", "bioiso.exe");

    /**
     * The overall answer.
     *
     * @since 0.1
     */
    public enum Verdict {
        /** some runtime indicator shows VSM running */
        ACTIVE,
        /** the runtime indicators that could be read show it was not */
        NOT_ACTIVE,
        /** nothing that decides could be read */
        UNKNOWN;

        /** @return the verdict as analysts write it ({@code not active}) */
        public String label() {
            return name().toLowerCase(Locale.ROOT).replace('_', ' ');
        }
    }

    /**
     * What one indicator showed.
     *
     * @since 0.1
     */
    public enum Finding {
        /** it shows VSM running */
        YES,
        /** it shows VSM not running */
        NO,
        /** it says what was configured (registry), not what ran */
        CONFIGURED,
        /** it says something related (Secure Boot) that does not decide */
        CONTEXT,
        /** the profile or the image did not allow the check */
        NOT_CHECKED;

        /** @return the finding as shown ({@code not checked}) */
        public String label() {
            return name().toLowerCase(Locale.ROOT).replace('_', ' ');
        }
    }

    /**
     * One indicator.
     *
     * @param group   {@code Kernel}, {@code Processes} or {@code Registry}
     * @param checked what was looked at (a symbol, a field, a value path)
     * @param finding what it showed
     * @param detail  the value seen, or why it could not be checked
     * @since 0.1
     */
    public record Indicator(String group, String checked, Finding finding, String detail) {
    }

    /**
     * The user-mode pages of a process whose memory belongs to VTL1, as this image holds them.
     *
     * @param process    the process
     * @param secureFlag whether its _KPROCESS says secure process (false also when not checked)
     * @param pages      the 4 KiB user pages its page tables map
     * @param withData   pages read with some non-zero byte
     * @param zeroFilled pages read back as all zeros: VTL1 pages a VTL0 acquisition could not read, not data
     * @param missing    pages that could not be read at all (paged out without a store, unreadable tables)
     * @param demandZero pages never touched (demand zero)
     * @param note       a limit met while counting, else empty
     * @since 0.1
     */
    public record OutOfReach(WinProcess process, boolean secureFlag, long pages, long withData, long zeroFilled,
            long missing, long demandZero, String note) {
    }

    /**
     * Everything found.
     *
     * @param verdict    active, not active or unknown
     * @param reason     why
     * @param indicators every indicator, in group order
     * @param outOfReach Secure System and each secure or IUM process, with their pages
     * @since 0.1
     */
    public record Report(Verdict verdict, String reason, List<Indicator> indicators, List<OutOfReach> outOfReach) {
    }

    private VirtualSecureMode() {
    }

    /**
     * Inspects a kernel whose discovery is complete.
     *
     * @param kernel   the case's kernel
     * @param registry the indicators read from the SYSTEM hive (group {@code Registry})
     */
    public static Report inspect(WindowsKernel kernel, List<Indicator> registry) {
        KernelDiscovery d = kernel.discovery();
        Profile profile = d.profile();
        List<Indicator> indicators = new ArrayList<>();
        if (d.build() != 0 && d.build() < 10240) {
            indicators.add(new Indicator("Kernel", "build", Finding.NO, "build " + d.build()
                    + ": Virtual Secure Mode came with Windows 10 (build 10240)"));
        }
        indicators.add(vsmEnabled(d));
        indicators.add(secureBoot(d));

        List<WinProcess> running = kernel.processes().processes().stream().filter(p -> p.exitTime() == null)
                .toList();
        List<WinProcess> secureSystem = running.stream().filter(p -> p.name().equalsIgnoreCase("Secure System"))
                .toList();
        indicators.add(secureSystem.isEmpty() ? new Indicator("Processes", "Secure System process", Finding.NO,
                "not on the active process list") : new Indicator("Processes", "Secure System process", Finding.YES,
                        describe(secureSystem)));

        SecureFlag flag = SecureFlag.of(profile);
        List<WinProcess> flagged = new ArrayList<>();
        List<String> unreadable = new ArrayList<>();
        if (flag == null) {
            indicators.add(new Indicator("Processes", "_KPROCESS secure-process flag", Finding.NOT_CHECKED,
                    "the profile " + profile.source() + " has neither _KPROCESS.SecureState.Flags.SecureProcess nor "
                            + "_KPROCESS.SecurePid"));
        } else {
            for (WinProcess p : running) {
                Optional<Boolean> secure = flag.read(d.kernel(), p);
                if (secure.isEmpty()) {
                    unreadable.add(p.toString());
                } else if (secure.get()) {
                    flagged.add(p);
                }
            }
            String checked = "_EPROCESS." + flag.path + " of " + (running.size() - unreadable.size()) + " processes"
                    + (unreadable.isEmpty() ? "" : " (" + unreadable.size() + " unreadable: " + String.join(", ",
                            unreadable.subList(0, Math.min(5, unreadable.size()))) + ")");
            indicators.add(flagged.isEmpty() ? new Indicator("Processes", "_KPROCESS secure-process flag",
                    Finding.NO, "set on none; checked " + checked) : new Indicator("Processes",
                            "_KPROCESS secure-process flag", Finding.YES, "set on " + describe(flagged) + "; checked "
                                    + checked));
        }
        List<WinProcess> named = running.stream().filter(p -> TRUSTLET_NAMES.contains(p.name().toLowerCase(
                Locale.ROOT))).toList();
        indicators.add(new Indicator("Processes", "trustlet image names (" + String.join(", ", TRUSTLET_NAMES.stream()
                .sorted().toList()) + ")", Finding.CONTEXT, named.isEmpty()
                        ? "none running" : describe(named) + (flag == null ? "" : named.stream().allMatch(
                                flagged::contains) ? " (each flagged secure)" : " (not all flagged secure: a name alone "
                                        + "proves nothing)")));
        indicators.addAll(registry);

        List<OutOfReach> outOfReach = new ArrayList<>();
        List<WinProcess> isolated = new ArrayList<>(secureSystem);
        flagged.stream().filter(p -> !isolated.contains(p)).forEach(isolated::add);
        if (flag == null) {
            named.stream().filter(p -> !isolated.contains(p)).forEach(isolated::add);
        }
        for (WinProcess p : isolated) {
            outOfReach.add(count(kernel, p, flagged.contains(p)));
        }
        return verdict(indicators, outOfReach);
    }

    private static Report verdict(List<Indicator> indicators, List<OutOfReach> outOfReach) {
        List<String> yes = new ArrayList<>();
        List<String> no = new ArrayList<>();
        List<String> unchecked = new ArrayList<>();
        List<String> configured = new ArrayList<>();
        for (Indicator i : indicators) {
            switch (i.finding()) {
                case YES -> yes.add(i.checked() + ": " + i.detail());
                case NO -> {
                    if (!i.group().equals("Registry")) {
                        no.add(i.checked());
                    }
                }
                case NOT_CHECKED -> unchecked.add(i.checked());
                case CONFIGURED -> configured.add(i.checked());
                case CONTEXT -> {
                }
            }
        }
        String notChecked = unchecked.isEmpty() ? "" : "; not checked: " + String.join(", ", unchecked);
        boolean kernelNo = indicators.stream().anyMatch(i -> i.group().equals("Kernel") && i.finding() == Finding.NO);
        boolean flagNo = indicators.stream().anyMatch(i -> i.checked().startsWith("_KPROCESS") && i.finding()
                == Finding.NO);
        Verdict v;
        String reason;
        if (!yes.isEmpty()) {
            v = Verdict.ACTIVE;
            reason = String.join("; ", yes) + notChecked;
        } else if (kernelNo || flagNo) {
            v = Verdict.NOT_ACTIVE;
            reason = "no runtime indicator shows it (" + String.join(", ", no) + ")" + (configured.isEmpty() ? ""
                    : "; configured in the registry but not running: " + String.join(", ", configured)) + notChecked;
        } else {
            v = Verdict.UNKNOWN;
            reason = "no runtime indicator could be checked" + (configured.isEmpty() ? "" : "; configured in the "
                    + "registry: " + String.join(", ", configured)) + notChecked;
        }
        return new Report(v, reason, List.copyOf(indicators), List.copyOf(outOfReach));
    }

    private static Indicator vsmEnabled(KernelDiscovery d) {
        String checked = "nt!" + VSM_ENABLED_SYMBOL;
        Readout<Long> symbol = d.symbol(VSM_ENABLED_SYMBOL);
        if (!symbol.isPresent()) {
            return new Indicator("Kernel", checked, Finding.NOT_CHECKED, symbol.reason()
                    + " (give the kernel's full symbol table with --symbols)");
        }
        long va = symbol.get();
        byte[] b = new byte[1];
        Unread sink = new Unread();
        d.kernel().read(va, b, 0, 1, sink);
        if (sink.why != null) {
            return new Indicator("Kernel", checked, Finding.NOT_CHECKED, "0x" + Long.toHexString(va)
                    + " cannot be read: " + sink.why);
        }
        int value = b[0] & 0xff;
        return new Indicator("Kernel", checked, value != 0 ? Finding.YES : Finding.NO, value + " (byte at 0x" + Long
                .toHexString(va) + ")");
    }

    private static Indicator secureBoot(KernelDiscovery d) {
        String checked = "_KUSER_SHARED_DATA.DbgSecureBootEnabled";
        Profile p = d.profile();
        if (!p.has("_KUSER_SHARED_DATA", "DbgSecureBootEnabled") || !(p.resolve("_KUSER_SHARED_DATA",
                "DbgSecureBootEnabled").type() instanceof org.vestige.core.types.TypeRef.Bitfield bit)) {
            return new Indicator("Kernel", checked, Finding.NOT_CHECKED, "the profile " + p.source()
                    + " has no such bit");
        }
        long va = KUSER_SHARED_DATA + p.offset("_KUSER_SHARED_DATA", "DbgSecureBootEnabled");
        byte[] b = new byte[4];
        Unread sink = new Unread();
        d.kernel().read(va, b, 0, 4, sink);
        if (sink.why != null) {
            return new Indicator("Kernel", checked, Finding.NOT_CHECKED, "0x" + Long.toHexString(va)
                    + " cannot be read: " + sink.why);
        }
        long word = (b[0] & 0xffL) | (b[1] & 0xffL) << 8 | (b[2] & 0xffL) << 16 | (b[3] & 0xffL) << 24;
        boolean on = ((word >>> bit.position()) & 1) != 0;
        return new Indicator("Kernel", checked, Finding.CONTEXT, (on ? "1: Secure Boot on" : "0: Secure Boot off")
                + " (a VBS prerequisite for its UEFI lock; it does not decide)");
    }

    /** Counts a process's user pages by what a read returns. */
    static OutOfReach count(WindowsKernel kernel, WinProcess p, boolean secureFlag) {
        X64Layer layer = kernel.processLayers().layer(p);
        long[] n = new long[5]; // pages, withData, zero, missing, demandZero
        String[] note = {""};
        byte[] page = new byte[4096];
        new PageMapper(layer).forEachUserPage(m -> {
            long count = Math.max(1, m.size() / 4096);
            if (n[0] + count > MAX_PAGES) {
                note[0] = "counting stopped after " + MAX_PAGES + " pages";
                return false;
            }
            n[0] += count;
            PageProvenance prov = m.provenance();
            if (prov instanceof PageProvenance.Missing) {
                n[3] += count;
                return true;
            }
            if (prov instanceof PageProvenance.DemandZero) {
                n[4] += count;
                return true;
            }
            for (long i = 0; i < count; i++) {
                Unread sink = new Unread();
                java.util.Arrays.fill(page, (byte) 0);
                layer.read(m.va() + i * 4096, page, 0, 4096, sink);
                if (sink.why != null) {
                    n[3]++;
                } else if (allZero(page)) {
                    n[2]++;
                } else {
                    n[1]++;
                }
            }
            return true;
        });
        return new OutOfReach(p, secureFlag, n[0], n[1], n[2], n[3], n[4], note[0]);
    }

    private static boolean allZero(byte[] b) {
        for (byte x : b) {
            if (x != 0) {
                return false;
            }
        }
        return true;
    }

    static String describe(List<WinProcess> processes) {
        return String.join(", ", processes.stream().map(p -> p.name() + " (pid " + p.pid() + ", parent " + p.ppid()
                + ")").toList());
    }

    /** Remembers why the first unreadable page of a read could not be read. */
    private static final class Unread implements org.vestige.core.layer.ProvenanceSink {
        String why;

        @Override
        public void accept(long address, int length, PageProvenance provenance) {
            if (why == null && provenance instanceof PageProvenance.Missing m) {
                why = m.reason();
            }
        }
    }

    /** The _KPROCESS field that marks a secure process on this build. */
    private static final class SecureFlag {
        final String path;
        final long offset;
        final int bit;

        private SecureFlag(String path, long offset, int bit) {
            this.path = path;
            this.offset = offset;
            this.bit = bit;
        }

        /** @return the flag on this build, or null when the profile has none */
        static SecureFlag of(Profile profile) {
            String flags = "Pcb.SecureState.Flags.SecureProcess";
            if (profile.has("_EPROCESS", flags) && profile.resolve("_EPROCESS", flags)
                    .type() instanceof org.vestige.core.types.TypeRef.Bitfield b) {
                return new SecureFlag(flags, profile.offset("_EPROCESS", flags), b.position());
            }
            // before Windows 10 1709 the secure kernel's id of the process: non-zero for a secure process
            if (profile.has("_EPROCESS", "Pcb.SecurePid")) {
                return new SecureFlag("Pcb.SecurePid", profile.offset("_EPROCESS", "Pcb.SecurePid"), -1);
            }
            return null;
        }

        Optional<Boolean> read(X64Layer kernel, WinProcess p) {
            byte[] b = new byte[8];
            Unread sink = new Unread();
            kernel.read(p.eprocess() + offset, b, 0, 8, sink);
            if (sink.why != null) {
                return Optional.empty();
            }
            long v = 0;
            for (int i = 7; i >= 0; i--) {
                v = v << 8 | (b[i] & 0xffL);
            }
            return Optional.of(bit < 0 ? v != 0 : ((v >>> bit) & 1) != 0);
        }
    }
}
