package org.vestige.plugin.windows.tests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.Assume;
import org.junit.ClassRule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.junit.runner.RunWith;
import org.junit.runners.Parameterized;
import org.junit.runners.Parameterized.Parameters;
import org.vestige.synth.HiveMemoryWriter.HivePlacement;
import org.vestige.synth.ImageSynthesizer;
import org.vestige.synth.SynthOptions;
import org.vestige.synth.SynthTruth;
import org.vestige.synth.TokenTruth;
import org.vestige.testing.JsonLines;
import org.vestige.testing.SynthesizedImages;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * windows.getsids and windows.privileges through the vestige command on every synthesized build, with the
 * SAM and SOFTWARE hives in memory where the installed profile can list them: the whole result of each over all
 * processes equals the tokens the synthesizer placed — every SID with its attributes, name and the name's
 * source, and every privilege with its present, enabled and enabled-by-default bits.
 */
@RunWith(Parameterized.class)
public class TokenAnalysesTest {

    @ClassRule
    public static TemporaryFolder tmp = new TemporaryFolder();

    @Parameters(name = "build {0}")
    public static List<Object[]> builds() {
        return ProcessAnalysesTest.builds();
    }

    /** The attribute texts the placed groups must show (SE_GROUP_* of winnt.h, named as TOKEN_GROUPS does). */
    private static final Map<Long, String> ATTRIBUTES = Map.of(0L, "", 0x7L, "Mandatory,EnabledByDefault,Enabled",
            0xEL, "EnabledByDefault,Enabled,Owner", 0x10L, "DenyOnly", 0x60L, "Integrity,IntegrityEnabled",
            0xC0000007L, "Mandatory,EnabledByDefault,Enabled,LogonId");

    private final int build;
    private final String profileId;
    private final ImageSynthesizer.Output image;
    private final SynthTruth truth;

    public TokenAnalysesTest(int build, String profileId) {
        this.build = build;
        this.profileId = profileId;
        SynthOptions.Builder options = SynthOptions.builder().seed(35).windowsBuild(build);
        if (build != 26100) {
            // the installed 26100 profile has no CmpHiveListHead: its hives could not be listed
            options.hives(HivePlacement.RESIDENT);
        }
        this.image = SynthesizedImages.installed(profileId, options.build());
        this.truth = image.truth();
    }

    private org.vestige.cli.Cli.Invocation run(String... pluginAndOptions) {
        return run(image.image(), pluginAndOptions);
    }

    /** Runs with the image's pagefile.sys, which holds a paged-out token. */
    private org.vestige.cli.Cli.Invocation runPaged(String... pluginAndOptions) {
        String[] args = new String[2 + pluginAndOptions.length];
        args[0] = "--pagefile";
        args[1] = image.pagefile().toString();
        System.arraycopy(pluginAndOptions, 0, args, 2, pluginAndOptions.length);
        return run(image.image(), args);
    }

    private static org.vestige.cli.Cli.Invocation run(java.nio.file.Path file, String... pluginAndOptions) {
        String[] args = new String[4 + pluginAndOptions.length];
        String[] head = {"-f", file.toString(), "--no-hash", "-q"};
        System.arraycopy(head, 0, args, 0, head.length);
        System.arraycopy(pluginAndOptions, 0, args, head.length, pluginAndOptions.length);
        return WindowsAnalysesTest.vestige(args);
    }

    /** @return the tokens of the processes on the active list; the test is skipped when none were written */
    private List<TokenTruth.ProcessToken> tokens() {
        TokenTruth t = truth.tokens();
        if (t.unavailable() != null) {
            org.vestige.cli.Cli.Invocation o = run("windows.getsids");
            assertTrue(o.err(), o.exitCode() != 0 && o.err().contains("_TOKEN"));
            Assume.assumeTrue("build " + build + ": " + t.unavailable() + "; the test runs once the profile has "
                    + "_TOKEN", false);
        }
        Set<Long> listed = new HashSet<>();
        truth.processes().forEach(p -> listed.add(p.eprocess()));
        return t.tokens().stream().filter(x -> listed.contains(x.eprocess())).toList();
    }

    /** A cell's text; "(unavailable)" for a missing value with a reason, "(n/a)" for one that does not apply. */
    private static String text(JsonNode cell) {
        if (cell.isNull()) {
            return "(n/a)";
        }
        return cell.isObject() && !cell.get("unavailable").asText().isEmpty() ? "(unavailable)" : cell.asText();
    }

    @Test
    public void getsidsReturnsEveryTokensSidsNamedAsPlaced() throws IOException {
        List<TokenTruth.ProcessToken> tokens = tokens();
        Set<String> expected = new HashSet<>();
        for (TokenTruth.ProcessToken t : tokens) {
            List<TokenTruth.Group> all = new java.util.ArrayList<>(t.userAndGroups());
            all.addAll(t.restrictedSids());
            for (int i = 0; i < all.size(); i++) {
                TokenTruth.Group g = all.get(i);
                assertTrue(Long.toHexString(g.attributes()), ATTRIBUTES.containsKey(g.attributes()));
                expected.add(t.pid() + "|" + t.process() + "|0x" + Long.toHexString(t.token()) + "|" + g.sid() + "|"
                        + (g.name() == null ? "(unavailable)" : g.name()) + "|" + (g.nameSource() == null ? "(n/a)"
                                : g.nameSource()) + "|" + ATTRIBUTES.get(g.attributes()) + "|" + (i == 0) + "|" + (i
                                        >= t.userAndGroups().size()));
            }
        }
        assertTrue(tokens.stream().anyMatch(t -> !t.restrictedSids().isEmpty()));
        org.vestige.cli.Cli.Invocation o = runPaged("windows.getsids", "-r", "json");
        assertEquals(o.err(), 0, o.exitCode());
        Set<String> actual = new HashSet<>();
        List<JsonNode> rows = JsonLines.parse(o.out());
        for (JsonNode r : rows) {
            actual.add(r.get("PID").asLong() + "|" + r.get("Process").asText() + "|" + r.get("Token").asText() + "|"
                    + text(r.get("SID")) + "|" + text(r.get("Name")) + "|" + text(r.get("NameSource")) + "|" + r.get(
                            "Attributes").asText() + "|" + r.get("User").asBoolean() + "|" + r.get("Restricted")
                                    .asBoolean());
        }
        assertEquals(expected, actual);
        assertEquals(expected.size(), rows.size());
        // the local user's name comes from the SAM when the hives are in memory
        String user = tokens.stream().filter(t -> t.process().equals("explorer.exe")).findFirst().orElseThrow()
                .userAndGroups().get(0).sid();
        JsonNode userRow = rows.stream().filter(r -> r.get("SID").asText().equals(user)).findFirst().orElseThrow();
        if (truth.hives() != null) {
            assertEquals("localuser01", userRow.get("Name").asText());
            assertEquals("SAM", userRow.get("NameSource").asText());
        } else {
            assertTrue(userRow.toString(), userRow.get("Name").isObject());
        }
        // the virtual account of the window manager is a SID nobody names: the row says so
        JsonNode dwm = rows.stream().filter(r -> r.get("SID").asText().equals("S-1-5-90-0-1")).findFirst()
                .orElseThrow();
        assertTrue(dwm.toString(), dwm.get("Name").get("unavailable").asText().startsWith("not well-known"));
        assertTrue(dwm.toString(), dwm.get("NameSource").isNull());
        // the same rows as text and CSV
        org.vestige.cli.Cli.Invocation csv = runPaged("windows.getsids", "-r", "csv");
        assertEquals(csv.err(), 0, csv.exitCode());
        assertEquals(rows.size() + 1, csv.out().strip().split("\n").length);
        assertTrue(csv.out(), csv.out().contains(",S-1-5-18,Local System,well-known,"));
        org.vestige.cli.Cli.Invocation txt = runPaged("windows.getsids");
        assertEquals(txt.err(), 0, txt.exitCode());
        assertTrue(txt.out(), txt.out().contains("Medium Mandatory Level"));
    }

    @Test
    public void aPagedOutTokenSaysWhereItIsWithoutThePagefile() throws IOException {
        TokenTruth.ProcessToken paged = tokens().stream().filter(t -> t.pagefileOffset() >= 0).findFirst()
                .orElseThrow();
        for (String plugin : List.of("windows.getsids", "windows.privileges")) {
            org.vestige.cli.Cli.Invocation o = run(plugin, "--pid", Long.toString(paged.pid()), "-r", "json");
            assertEquals(o.err(), 0, o.exitCode());
            List<JsonNode> rows = JsonLines.parse(o.out());
            assertEquals(1, rows.size());
            JsonNode cell = rows.get(0).get(plugin.equals("windows.getsids") ? "SID" : "Privilege");
            String reason = cell.get("unavailable").asText();
            assertTrue(reason, reason.contains("_TOKEN at 0x" + Long.toHexString(paged.token())) && reason.contains(
                    "paged out to pagefile.sys (slot 0) at offset 0x" + Long.toHexString(paged.pagefileOffset()))
                    && reason.endsWith("supply it with --pagefile"));
            // a page that is merely paged out is no damage: no diagnostic
            assertFalse(o.err(), o.err().contains("(pid " + paged.pid() + ","));
        }
    }

    @Test
    public void privilegesReturnsEveryTokensMasks() throws IOException {
        List<TokenTruth.ProcessToken> tokens = tokens();
        Set<String> expected = new HashSet<>();
        for (TokenTruth.ProcessToken t : tokens) {
            long any = t.present() | t.enabled() | t.enabledByDefault();
            for (int bit = 0; bit < 64; bit++) {
                if ((any & (1L << bit)) != 0) {
                    expected.add(t.pid() + "|" + bit + "|" + ((t.present() >>> bit) & 1) + "|" + ((t.enabled() >>> bit)
                            & 1) + "|" + ((t.enabledByDefault() >>> bit) & 1));
                }
            }
        }
        org.vestige.cli.Cli.Invocation o = runPaged("windows.privileges", "-r", "json");
        assertEquals(o.err(), 0, o.exitCode());
        List<JsonNode> rows = JsonLines.parse(o.out());
        Set<String> actual = new HashSet<>();
        for (JsonNode r : rows) {
            actual.add(r.get("PID").asLong() + "|" + r.get("Value").asLong() + "|" + (r.get("Present").asBoolean() ? 1
                    : 0) + "|" + (r.get("Enabled").asBoolean() ? 1 : 0) + "|" + (r.get("EnabledByDefault").asBoolean()
                            ? 1 : 0));
            assertTrue(r.toString(), r.get("Privilege").asText().startsWith("Se"));
            assertFalse(r.toString(), r.get("Description").asText().isEmpty());
        }
        assertEquals(expected, actual);
        assertEquals(expected.size(), rows.size());
        JsonNode debug = rows.stream().filter(r -> r.get("PID").asLong() == 4 && r.get("Value").asLong() == 20)
                .findFirst().orElseThrow();
        assertEquals("SeDebugPrivilege", debug.get("Privilege").asText());
        assertEquals("Debug programs", debug.get("Description").asText());
        assertTrue(debug.get("Enabled").asBoolean());
    }

    @Test
    public void pidFilterTakesSeveralProcesses() throws IOException {
        List<TokenTruth.ProcessToken> tokens = tokens();
        TokenTruth.ProcessToken system = tokens.get(0);
        TokenTruth.ProcessToken explorer = tokens.stream().filter(t -> t.process().equals("explorer.exe"))
                .findFirst().orElseThrow();
        for (String plugin : List.of("windows.getsids", "windows.privileges")) {
            org.vestige.cli.Cli.Invocation o = runPaged(plugin, "--pid", Long.toString(system.pid()), "--pid", Long
                    .toString(explorer.pid()), "-r", "json");
            assertEquals(o.err(), 0, o.exitCode());
            Set<Long> pids = new HashSet<>();
            JsonLines.parse(o.out()).forEach(r -> pids.add(r.get("PID").asLong()));
            assertEquals(Set.of(system.pid(), explorer.pid()), pids);
        }
    }

    /**
     * A copy of the image with two tokens damaged in physical memory: one's UserAndGroups points at a kernel
     * address no page table maps, another's UserAndGroupCount is absurd. Each is a diagnostic naming the process
     * and the address; every other process's SIDs are listed as before, and privileges still read for all.
     * {@link TokenDamageAnalysesTest} runs it on one build: the damage is the same on every layout.
     */
    void damagedTokensAreNamedAndEveryOtherProcessIsListed(TemporaryFolder tmp) throws Exception {
        List<TokenTruth.ProcessToken> tokens = tokens();
        TokenTruth.ProcessToken wild = tokens.get(3);
        TokenTruth.ProcessToken absurd = tokens.get(5);
        TokenTruth.ProcessToken unmapped = tokens.get(7);
        org.vestige.core.types.Profile profile = org.vestige.core.registry.Extensions.fromPlatform().profiles()
                .stream().filter(p -> p.id().equals(profileId)).findFirst().orElseThrow().load();
        java.nio.file.Path copy = tmp.newFolder().toPath().resolve("damaged.raw");
        java.nio.file.Files.copy(image.image(), copy);
        long wildPointer = 0xFFFF_A5DE_AD00_0000L;
        try (org.vestige.core.layer.FileLayer physical = org.vestige.core.layer.FileLayer.open(image.image(), "raw");
                java.nio.channels.FileChannel out = java.nio.channels.FileChannel.open(copy,
                        java.nio.file.StandardOpenOption.WRITE)) {
            org.vestige.windows.KernelDiscovery d = new org.vestige.windows.KernelLocator(physical, List.of(profile),
                    org.vestige.windows.LocatorHints.none()).locate();
            assertTrue(d.report().render(), d.complete());
            assertEquals("the wild pointer must map nothing", -1, d.kernel().translate(wildPointer));
            long groups = d.kernel().translate(wild.token() + profile.offset("_TOKEN", "UserAndGroups"));
            long count = d.kernel().translate(absurd.token() + profile.offset("_TOKEN", "UserAndGroupCount"));
            out.write(java.nio.ByteBuffer.allocate(8).order(java.nio.ByteOrder.LITTLE_ENDIAN).putLong(0, wildPointer),
                    groups);
            out.write(java.nio.ByteBuffer.allocate(4).order(java.nio.ByteOrder.LITTLE_ENDIAN).putInt(0, 50_000),
                    count);
            // _EPROCESS.Token: an _EX_FAST_REF to a kernel address no page table maps
            long ref = d.kernel().translate(unmapped.eprocess() + profile.offset("_EPROCESS", "Token"));
            out.write(java.nio.ByteBuffer.allocate(8).order(java.nio.ByteOrder.LITTLE_ENDIAN).putLong(0, wildPointer
                    | 5), ref);
        }
        org.vestige.cli.Cli.Invocation o = run(copy, "windows.getsids", "-r", "json");
        assertEquals(o.err(), 0, o.exitCode());
        assertTrue(o.err(), o.err().lines().anyMatch(l -> l.contains("(pid " + wild.pid() + ",") && l.contains(
                "_TOKEN at 0x" + Long.toHexString(wild.token())) && l.contains("0x" + Long.toHexString(wildPointer))));
        assertTrue(o.err(), o.err().lines().anyMatch(l -> l.contains("(pid " + absurd.pid() + ",") && l.contains(
                "_TOKEN at 0x" + Long.toHexString(absurd.token())) && l.contains("UserAndGroupCount 50000")));
        assertTrue(o.err(), o.err().lines().anyMatch(l -> l.contains("(pid " + unmapped.pid() + ",") && l.contains(
                "_TOKEN at 0x" + Long.toHexString(wildPointer))));
        Map<Long, Integer> rowsByPid = new java.util.HashMap<>();
        for (JsonNode r : JsonLines.parse(o.out())) {
            rowsByPid.merge(r.get("PID").asLong(), 1, Integer::sum);
            long pid = r.get("PID").asLong();
            if ((pid == wild.pid() || pid == absurd.pid() || pid == unmapped.pid()) && !r.get("Restricted")
                    .asBoolean()) {
                assertTrue(r.toString(), r.get("SID").isObject());
            }
        }
        for (TokenTruth.ProcessToken t : tokens) {
            int expected = t.pagefileOffset() >= 0 || t == unmapped ? 1 : (t == wild || t == absurd ? 1 : t
                    .userAndGroups().size()) + t.restrictedSids().size();
            assertEquals(t.process(), Integer.valueOf(expected), rowsByPid.get(t.pid()));
        }
        org.vestige.cli.Cli.Invocation privileges = run(copy, "windows.privileges", "-r", "json");
        assertEquals(privileges.err(), 0, privileges.exitCode());
        Set<Long> pids = new HashSet<>();
        JsonLines.parse(privileges.out()).forEach(r -> pids.add(r.get("PID").asLong()));
        Set<Long> all = new HashSet<>();
        tokens.forEach(t -> all.add(t.pid()));
        assertEquals(all, pids);
    }
}
