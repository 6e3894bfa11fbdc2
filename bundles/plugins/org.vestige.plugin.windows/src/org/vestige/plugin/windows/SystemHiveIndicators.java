package org.vestige.plugin.windows;

import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Optional;

import org.vestige.core.plugin.AnalysisContext;
import org.vestige.core.plugin.AnalysisException;
import org.vestige.plugin.windows.VirtualSecureMode.Finding;
import org.vestige.plugin.windows.VirtualSecureMode.Indicator;
import org.vestige.registry.ControlSets;
import org.vestige.registry.Hive;
import org.vestige.registry.HiveException;
import org.vestige.registry.LoadedHive;
import org.vestige.registry.MemoryHives;
import org.vestige.registry.RegistryValue;
import org.vestige.windows.KernelDiscovery;
import org.vestige.windows.WindowsKernel;

/**
 * The Virtual Secure Mode settings in the SYSTEM hive loaded in memory: DeviceGuard's
 * EnableVirtualizationBasedSecurity, the HVCI and Credential Guard scenarios, and Lsa's LsaCfgFlags.
 *
 * <p>The hive is found on the session's {@link MemoryHives}, the hive list the registry analyses
 * share, so the list is walked once per case whichever analysis asks first.
 */
final class SystemHiveIndicators {

    /** The values read, relative to the current control set, and what a value of 1 (or more) means. */
    private static final String[][] VALUES = {
        {"Control\\DeviceGuard", "EnableVirtualizationBasedSecurity", "VBS"},
        {"Control\\DeviceGuard\\Scenarios\\HypervisorEnforcedCodeIntegrity", "Enabled", "HVCI"},
        {"Control\\DeviceGuard\\Scenarios\\CredentialGuard", "Enabled", "Credential Guard"},
        {"Control\\Lsa", "LsaCfgFlags", "Credential Guard"}};

    private SystemHiveIndicators() {
    }

    /** @return an indicator per value, each not checked (with the reason) when the hive cannot be read */
    static List<Indicator> read(AnalysisContext context, WindowsKernel kernel) {
        Hive system;
        String prefix;
        try {
            Optional<Hive> found = systemHive(context, kernel);
            if (found.isEmpty()) {
                return notChecked("no SYSTEM hive on the hive list (CmpHiveListHead)");
            }
            system = found.get();
            prefix = ControlSets.current(system).keyName();
        } catch (HiveException | AnalysisException | NoSuchElementException | IllegalStateException e) {
            return notChecked("the SYSTEM hive cannot be read: " + e.getMessage());
        } catch (RuntimeException e) {
            return notChecked("the SYSTEM hive cannot be read: " + e);
        }
        List<Indicator> out = new ArrayList<>();
        for (String[] v : VALUES) {
            String path = "SYSTEM\\" + prefix + "\\" + v[0] + "\\" + v[1];
            try {
                Optional<RegistryValue> value = system.findValue(prefix + "\\" + v[0], v[1]);
                if (value.isEmpty()) {
                    out.add(new Indicator("Registry", path, Finding.NO, "absent (" + v[2] + " not configured)"));
                    continue;
                }
                long n = value.get().asDword();
                String meaning = v[1].equals("LsaCfgFlags") ? n == 1 ? "Credential Guard with UEFI lock" : n == 2
                        ? "Credential Guard without lock" : n == 0 ? "Credential Guard off" : "unknown setting"
                        : n != 0 ? v[2] + " configured on" : v[2] + " configured off";
                out.add(new Indicator("Registry", path, n != 0 ? Finding.CONFIGURED : Finding.NO, n + ": " + meaning));
            } catch (HiveException | IllegalStateException e) {
                out.add(new Indicator("Registry", path, Finding.NOT_CHECKED, "unreadable: " + e.getMessage()));
            }
        }
        return out;
    }

    private static List<Indicator> notChecked(String why) {
        List<Indicator> out = new ArrayList<>();
        for (String[] v : VALUES) {
            out.add(new Indicator("Registry", "SYSTEM\\CurrentControlSet\\" + v[0] + "\\" + v[1], Finding.NOT_CHECKED,
                    why));
        }
        return out;
    }

    private static Optional<Hive> systemHive(AnalysisContext context, WindowsKernel kernel)
            throws AnalysisException {
        KernelDiscovery d = kernel.discovery();
        if (d.profile().symbol(MemoryHives.LIST_HEAD).isEmpty()) {
            throw new IllegalStateException("the profile " + d.profile().source() + " has no symbol "
                    + MemoryHives.LIST_HEAD);
        }
        MemoryHives hives = MemoryHives.of(context);
        Optional<LoadedHive> system = hives.listing().machineHive("SYSTEM");
        if (system.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(Hive.open(hives.source(system.get())));
    }
}
