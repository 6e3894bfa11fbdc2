package org.vestige.synth.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.vestige.core.types.Profile;
import org.vestige.synth.PhysicalImageWriter;
import org.vestige.synth.SynthOptions;
import org.vestige.synth.SynthTruth;

/**
 * Writes what a VTL0 acquisition of a machine running Virtual Secure Mode shows: trustlets whose private
 * pages read as zeros, the secure-process flag, and the registry values of VBS and Credential Guard; and
 * says so in the truth.
 */
final class VbsWriter {

    private final Machine machine;
    private final Profile profile;
    private final SynthOptions options;
    private final Random random;
    private final PhysicalImageWriter memory;

    VbsWriter(Machine machine) {
        this.machine = machine;
        profile = machine.profile;
        options = machine.options;
        random = machine.random;
        memory = machine.memory;
    }

    static final String VSL_VSM_ENABLED = "VslVsmEnabled";

    /** The DeviceGuard and Credential Guard values of a machine with VBS, HVCI and Credential Guard on. */
    static final Map<String, Long> VBS_REGISTRY = vbsRegistry();

    static Map<String, Long> vbsRegistry() {
        Map<String, Long> m = new LinkedHashMap<>();
        m.put("Control\\DeviceGuard\\EnableVirtualizationBasedSecurity", 1L);
        m.put("Control\\DeviceGuard\\Scenarios\\HypervisorEnforcedCodeIntegrity\\Enabled", 1L);
        m.put("Control\\DeviceGuard\\Scenarios\\CredentialGuard\\Enabled", 1L);
        m.put("Control\\Lsa\\LsaCfgFlags", 1L);
        return java.util.Collections.unmodifiableMap(m);
    }

    /** @return the _EPROCESS field a secure process has set, or null when the profile has none */
    String secureFlagField() {
        if (profile.has("_EPROCESS", "Pcb.SecureState.Flags.SecureProcess")) {
            return "Pcb.SecureState.Flags.SecureProcess";
        }
        return profile.has("_EPROCESS", "Pcb.SecurePid") ? "Pcb.SecurePid" : null;
    }

    SynthTruth.Vbs vbsTruth(List<PlacedProcess> procs) {
        List<SynthTruth.IsolatedProcess> isolated = new ArrayList<>();
        for (PlacedProcess p : procs) {
            if (p.isolated || p.name.equals("Secure System")) {
                isolated.add(new SynthTruth.IsolatedProcess(p.pid, p.ppid, p.name, p.secure
                        && secureFlagField() != null,
                        p.isolated ? p.zeroPages.size() + 1 : 0, p.isolated ? 1 : 0, List.copyOf(p.zeroPages)));
            }
        }
        return new SynthTruth.Vbs(machine.global(VSL_VSM_ENABLED), secureFlagField(), profile.has("_KUSER_SHARED_DATA",
                "DbgSecureBootEnabled"), options.hives() != null ? VBS_REGISTRY : Map.of(), List.copyOf(isolated));
    }

    /**
     * The user space of a trustlet as a VTL0 acquisition sees it: the shared user page, and private pages
     * whose PTEs are valid but whose frames belong to VTL1, so the acquisition holds zeros for them.
     */
    void populateIsolated(PlacedProcess p) {
        p.space.map(Machine.USER_KUSER, machine.kuserFrame, 4096);
        p.vadRanges.add(new long[] {Machine.USER_KUSER, Machine.USER_KUSER + 0xfff, 1, 0, 1, 1});
        p.vadFiles.add(null);
        long base = 0x0000_0200_0000_0000L + 0x10000L * random.nextInt(0x1000);
        int pages = 8 + random.nextInt(9);
        for (int i = 0; i < pages; i++) {
            long va = base + i * 4096L;
            p.space.map(va, memory.allocateFrame(), 4096);
            p.zeroPages.add(va);
        }
        p.peb = base;
        p.vadRanges.add(new long[] {base, base + pages * 4096L - 1, 4, 0, 1, pages});
        p.vadFiles.add(null);
    }
}
