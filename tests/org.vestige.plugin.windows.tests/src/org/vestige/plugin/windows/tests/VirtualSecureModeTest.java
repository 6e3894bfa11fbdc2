package org.vestige.plugin.windows.tests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import org.junit.Test;
import org.vestige.cli.Cli;
import org.vestige.synth.HiveMemoryWriter;
import org.vestige.synth.ImageSynthesizer;
import org.vestige.synth.SynthOptions;
import org.vestige.synth.SynthTruth;
import org.vestige.testing.JsonLines;
import org.vestige.testing.SynthesizedImages;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * windows.info's Virtual Secure Mode rows through the vestige command, on images synthesized from the
 * installed profiles with and without VBS: the verdict, every indicator, and the VTL1 processes with
 * their pages, compared with the synthesizer's truth.
 */
public class VirtualSecureModeTest {

    private static final String[] REGISTRY = {"Control\\DeviceGuard\\EnableVirtualizationBasedSecurity",
        "Control\\DeviceGuard\\Scenarios\\HypervisorEnforcedCodeIntegrity\\Enabled",
        "Control\\DeviceGuard\\Scenarios\\CredentialGuard\\Enabled", "Control\\Lsa\\LsaCfgFlags"};

    private static ImageSynthesizer.Output image(int build, String profileId, boolean vbs) {
        return SynthesizedImages.installed(profileId, SynthOptions.builder().seed(57).windowsBuild(build).vbs(vbs)
                .hives(build < 26100 ? HiveMemoryWriter.HivePlacement.RESIDENT : null).build());
    }

    /** The Virtual Secure Mode row of windows.info, with its children. */
    private static JsonNode vsm(ImageSynthesizer.Output image) throws IOException {
        Cli.Invocation o = WindowsAnalysesTest.vestige("-f", image.image().toString(), "--no-hash", "-q",
                "windows.info", "-r", "json");
        assertEquals(o.err(), 0, o.exitCode());
        return JsonLines.parse(o.out()).stream().filter(r -> r.get("Property").asText().equals("Virtual Secure Mode"))
                .findFirst().orElseThrow(() -> new AssertionError(o.out()));
    }

    private static JsonNode child(JsonNode row, String property) {
        for (JsonNode c : row.get("__children")) {
            if (c.get("Property").asText().equals(property)) {
                return c;
            }
        }
        throw new AssertionError("no row " + property + " under " + row);
    }

    private static String value(JsonNode row, String group, String property) {
        return child(child(row, group), property).get("Value").asText();
    }

    private static void activeWithEveryIndicator(int build, String profileId, String flagField) throws IOException {
        ImageSynthesizer.Output out = image(build, profileId, true);
        SynthTruth.Vbs truth = out.truth().vbs();
        assertNotNull(truth);
        assertEquals(flagField, truth.secureFlag());
        JsonNode row = vsm(out);
        assertTrue(row.toString(), row.get("Value").asText().startsWith("active: "));

        assertEquals("yes: 1 (byte at 0x" + Long.toHexString(truth.vslVsmEnabled()) + ")", value(row, "Kernel",
                "nt!VslVsmEnabled"));
        assertTrue(value(row, "Kernel", "_KUSER_SHARED_DATA.DbgSecureBootEnabled").startsWith(
                "context: 1: Secure Boot on"));

        SynthTruth.IsolatedProcess secureSystem = truth.isolated().stream().filter(p -> p.name().equals(
                "Secure System")).findFirst().orElseThrow();
        SynthTruth.IsolatedProcess lsaIso = truth.isolated().stream().filter(p -> p.name().equals("LsaIso.exe"))
                .findFirst().orElseThrow();
        assertEquals(4, secureSystem.ppid());
        long wininit = out.truth().processes().stream().filter(p -> p.name().equals("wininit.exe")).findFirst()
                .orElseThrow().pid();
        assertEquals(wininit, lsaIso.ppid());
        assertEquals("yes: Secure System (pid " + secureSystem.pid() + ", parent 4)", value(row, "Processes",
                "Secure System process"));
        long running = out.truth().processes().size();
        assertEquals("yes: set on LsaIso.exe (pid " + lsaIso.pid() + ", parent " + wininit + "); checked _EPROCESS."
                + flagField + " of " + running + " processes", value(row, "Processes",
                        "_KPROCESS secure-process flag"));

        for (String path : REGISTRY) {
            long expected = truth.registry().get(path);
            String shown = value(row, "Registry", "SYSTEM\\ControlSet001\\" + path);
            assertTrue(path + ": " + shown, shown.startsWith("configured: " + expected + ": "));
        }

        JsonNode outOfReach = child(row, "Out of reach");
        long zeros = truth.isolated().stream().mapToLong(p -> p.zeroPages().size()).sum();
        assertTrue(outOfReach.toString(), outOfReach.get("Value").asText().contains(zeros
                + " pages of the processes below read as all zeros"));
        List<String> expected = new ArrayList<>();
        for (SynthTruth.IsolatedProcess p : truth.isolated()) {
            String pages = p.userPages() == 0 ? "0 user pages mapped in VTL0: its memory is VTL1's"
                    : p.userPages() + " user pages: " + p.withData() + " read with data, " + p.zeroPages().size()
                            + " read as all zeros (VTL1 pages, not data), 0 missing, 0 demand zero";
            expected.add(p.name() + " (pid " + p.pid() + ")=" + pages + (p.secureFlag() ? "; secure process" : ""));
        }
        List<String> actual = new ArrayList<>();
        for (JsonNode c : outOfReach.get("__children")) {
            actual.add(c.get("Property").asText() + "=" + c.get("Value").asText());
        }
        assertEquals(expected, actual);
        assertTrue(lsaIso.zeroPages().size() >= 8);
    }

    private static void notActive(int build, String profileId) throws IOException {
        ImageSynthesizer.Output out = image(build, profileId, false);
        assertNull(out.truth().vbs());
        JsonNode row = vsm(out);
        assertTrue(row.toString(), row.get("Value").asText().startsWith("not active: no runtime indicator shows it"));
        assertTrue(value(row, "Kernel", "nt!VslVsmEnabled").startsWith("no: 0 (byte at 0x"));
        assertEquals("no: not on the active process list", value(row, "Processes", "Secure System process"));
        assertTrue(value(row, "Processes", "_KPROCESS secure-process flag").startsWith("no: set on none; checked "));
        for (String path : REGISTRY) {
            assertEquals(path, "no: absent", value(row, "Registry", "SYSTEM\\ControlSet001\\" + path).replaceAll(
                    " \\(.*\\)$", ""));
        }
        assertEquals("nothing: no VTL1 memory", child(row, "Out of reach").get("Value").asText());
        assertFalse(child(row, "Out of reach").has("__children") && child(row, "Out of reach").get("__children")
                .size() > 0);
    }

    @Test
    public void build17763WithVbsIsActiveWithEveryIndicator() throws IOException {
        activeWithEveryIndicator(17763, "windows.x64.17763.8CFB49428DC86A330CE257778E0C2F93-1",
                "Pcb.SecureState.Flags.SecureProcess");
    }

    @Test
    public void build19041WithVbsIsActiveWithEveryIndicator() throws IOException {
        activeWithEveryIndicator(19041, "windows.x64.19041.CA8E2F01B822EDE6357898BFBF862997-1",
                "Pcb.SecureState.Flags.SecureProcess");
    }

    @Test
    public void build17763WithoutVbsIsNotActive() throws IOException {
        notActive(17763, "windows.x64.17763.8CFB49428DC86A330CE257778E0C2F93-1");
    }

    @Test
    public void build19041WithoutVbsIsNotActive() throws IOException {
        notActive(19041, "windows.x64.19041.CA8E2F01B822EDE6357898BFBF862997-1");
    }

    /**
     * The partial 26100 layout has neither the secure-process field nor VslVsmEnabled nor CmpHiveListHead:
     * those are reported as not checked, and Secure System alone decides.
     */
    @Test
    public void aProfileWithoutTheFlagFieldSaysWhatCouldNotBeChecked() throws IOException {
        ImageSynthesizer.Output out = image(26100, "windows.x64.26100.win11_x64_26100_partial", true);
        assertNull(out.truth().vbs().secureFlag());
        JsonNode row = vsm(out);
        String verdict = row.get("Value").asText();
        assertTrue(verdict, verdict.startsWith("active: Secure System process: Secure System (pid "));
        assertTrue(verdict, verdict.contains("; not checked: nt!VslVsmEnabled, "));
        assertTrue(verdict, verdict.contains(", _KPROCESS secure-process flag"));
        String vsmEnabled = value(row, "Kernel", "nt!VslVsmEnabled");
        assertTrue(vsmEnabled, vsmEnabled.startsWith("not checked: profile ") && vsmEnabled.contains(
                " has no symbol VslVsmEnabled"));
        assertTrue(value(row, "Processes", "_KPROCESS secure-process flag").startsWith(
                "not checked: the profile "));
        assertEquals("4 indicators, 4 not checked", child(row, "Registry").get("Value").asText());
        // without the flag, the trustlet is listed by its name; its private pages still read as zeros
        SynthTruth.IsolatedProcess lsaIso = out.truth().vbs().isolated().stream().filter(p -> p.name().equals(
                "LsaIso.exe")).findFirst().orElseThrow();
        assertEquals(lsaIso.userPages() + " user pages: 1 read with data, " + lsaIso.zeroPages().size()
                + " read as all zeros (VTL1 pages, not data), 0 missing, 0 demand zero", child(child(row,
                        "Out of reach"), "LsaIso.exe (pid " + lsaIso.pid() + ")").get("Value").asText());
    }
}
