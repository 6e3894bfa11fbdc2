package org.vestige.plugin.windows.tests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.eclipse.core.runtime.NullProgressMonitor;
import org.junit.ClassRule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.junit.runner.RunWith;
import org.junit.runners.Parameterized;
import org.junit.runners.Parameterized.Parameters;
import org.vestige.core.evidence.EvidenceCase;
import org.vestige.core.plugin.AnalysisSession;
import org.vestige.core.plugin.SessionSettings;
import org.vestige.core.registry.Extensions;
import org.vestige.core.types.Field;
import org.vestige.core.types.Profile;
import org.vestige.core.types.TypeRef;
import org.vestige.synth.ImageSynthesizer;
import org.vestige.synth.ProcessFieldTruth;
import org.vestige.synth.SynthOptions;
import org.vestige.synth.SynthTruth;
import org.vestige.testing.SynthesizedImages;
import org.vestige.windows.KernelDiscovery;
import org.vestige.windows.WindowsKernel;
import org.vestige.windows.X64Layer;

/**
 * Every synthesized process's {@code _EPROCESS} as on a running system, on every synthesized build, read
 * back from the image through the profile Vestige chose: the fields the process truth records (pid,
 * parent, create and exit time, PEB, threads, name) and those a reader without symbols locates offsets
 * by — ExitStatus STATUS_PENDING while running and the exit code after, an ObjectTable in a pool block
 * tagged {@code Obtb} (System's too) and none after exit, SeAuditProcessCreationInfo.ImageFileName naming
 * the image by {@code \Device\HarddiskVolumeN\...}, and Protection — each equal to the truth. And the
 * fields other analyses read where the build's profile has them: Session (SessionId as the token has it,
 * each session's ProcessList walked through SessionProcessLinks), ImageFilePointer (the executable's file
 * object), SectionObject (its control area leading back to that file object), the Flags bits of a running
 * and an exited process by their profile names, and PspCidTable's entry for every running process and thread.
 */
@RunWith(Parameterized.class)
public class ProcessFieldsTest {

    private static final List<String> FIELDS = List.of("ExitStatus", "ObjectTable",
            "SeAuditProcessCreationInfo.ImageFileName", "Protection");

    @ClassRule
    public static TemporaryFolder tmp = new TemporaryFolder();

    @Parameters(name = "build {0}")
    public static List<Object[]> builds() {
        return ProcessAnalysesTest.builds();
    }

    private final int build;
    private final ImageSynthesizer.Output image;
    private final SynthTruth truth;

    public ProcessFieldsTest(int build, String profileId) {
        this.build = build;
        this.image = SynthesizedImages.installed(profileId, SynthOptions.builder().seed(33).windowsBuild(build)
                .build());
        this.truth = image.truth();
    }

    /** Reads one image's kernel memory through its session. */
    private record Kernel(X64Layer layer, Profile profile, KernelDiscovery discovery) {

        byte[] bytes(long va, int n) {
            return layer.readBytes(va, n);
        }

        long u64(long va) {
            return ByteBuffer.wrap(bytes(va, 8)).order(ByteOrder.LITTLE_ENDIAN).getLong();
        }

        long u32(long va) {
            return ByteBuffer.wrap(bytes(va, 4)).order(ByteOrder.LITTLE_ENDIAN).getInt() & 0xFFFF_FFFFL;
        }

        long field(long eprocess, String field) {
            return eprocess + profile.offset("_EPROCESS", field);
        }

        long field(String struct, long address, String field) {
            return address + profile.offset(struct, field);
        }

        /** @return the one-bit field {@code bit} of the _EPROCESS, read as the profile places it */
        boolean bit(long eprocess, String bit) {
            Field f = profile.resolve("_EPROCESS", bit);
            TypeRef.Bitfield b = (TypeRef.Bitfield) f.type();
            return (u32(eprocess + f.offset()) >>> b.position() & 1) != 0;
        }

        String unicode(long unicodeString) {
            int length = (int) (u32(unicodeString) & 0xFFFF);
            return length == 0 ? "" : new String(bytes(u64(unicodeString + 8), length), StandardCharsets.UTF_16LE);
        }
    }

    private interface Check {
        void run(Kernel kernel) throws Exception;
    }

    private void withKernel(Check check) throws Exception {
        EvidenceCase c = EvidenceCase.open(image.image(), List.of(), Extensions.fromPlatform().formats(), false,
                new NullProgressMonitor());
        try (AnalysisSession session = new AnalysisSession(c, Extensions.fromPlatform(), SessionSettings.builder(tmp
                .getRoot().toPath()).build())) {
            WindowsKernel k = WindowsKernel.require(session, "test");
            check.run(new Kernel(k.discovery().kernel(), k.discovery().profile(), k.discovery()));
        }
    }

    private interface ProcessCheck {
        void run(Kernel kernel, SynthTruth.Process process, ProcessFieldTruth.Fields fields);
    }

    /** Runs {@code check} on every process when the profile has {@code _EPROCESS.field}. */
    private void forEachProcessWith(String field, ProcessCheck check) throws Exception {
        withKernel(k -> {
            if (k.profile().has("_EPROCESS", field)) {
                for (SynthTruth.Process p : everyProcess()) {
                    check.run(k, p, fieldsOf(p));
                }
            }
        });
    }

    private List<SynthTruth.Process> everyProcess() {
        List<SynthTruth.Process> all = new ArrayList<>(truth.processes());
        all.addAll(truth.terminated());
        all.addAll(truth.hidden());
        return all;
    }

    private ProcessFieldTruth.Fields fieldsOf(SynthTruth.Process p) {
        return truth.processFields().processes().stream().filter(f -> f.eprocess() == p.eprocess()).findFirst()
                .orElseThrow(() -> new AssertionError("no field truth for " + p.name() + " " + p.pid()));
    }

    @Test
    public void theTruthCoversEveryProcessAndNamesExactlyTheFieldsTheProfileLacks() throws Exception {
        assertEquals(everyProcess().size(), truth.processFields().processes().size());
        everyProcess().forEach(this::fieldsOf);
        withKernel(k -> {
            List<String> lacking = FIELDS.stream().filter(f -> !k.profile().has("_EPROCESS", f)).toList();
            assertEquals(lacking, truth.processFields().absent().stream().filter(FIELDS::contains).toList());
        });
        if (build >= 17763) {
            assertEquals("build " + build + " has every field", List.of(), truth.processFields().absent().stream()
                    .filter(FIELDS::contains).toList());
        }
    }

    @Test
    public void theFurtherFieldsAreLeftOutExactlyWhereTheProfileLacksWhatTheyNeed() throws Exception {
        withKernel(k -> {
            Profile pr = k.profile();
            List<String> lacking = new ArrayList<>();
            if (!(pr.has("_EPROCESS", "Session") && pr.has("_EPROCESS", "SessionProcessLinks") && pr.has(
                    "_MM_SESSION_SPACE", "SessionId") && pr.has("_MM_SESSION_SPACE", "ProcessList"))) {
                lacking.add("Session");
            }
            if (!pr.has("_EPROCESS", "ImageFilePointer")) {
                lacking.add("ImageFilePointer");
            }
            if (!pr.has("_EPROCESS", "SectionObject") || !pr.has("_SECTION", "u1.ControlArea") || truth.handles()
                    .skipped() != null) {
                lacking.add("SectionObject");
            }
            for (String word : List.of("Flags", "Flags2", "Flags3")) {
                if (!pr.has("_EPROCESS", word)) {
                    lacking.add(word);
                }
            }
            if (pr.symbol("PspCidTable").isEmpty()) {
                lacking.add("PspCidTable");
            }
            assertEquals("build " + build, lacking, truth.processFields().absent().stream().filter(f -> !FIELDS
                    .contains(f)).toList());
        });
        if (build >= 17763 && build <= 22000) {
            for (String f : List.of("Session", "ImageFilePointer", "SectionObject", "PspCidTable")) {
                assertFalse("build " + build + " lays out " + f, truth.processFields().absent().contains(f));
            }
        }
    }

    private static final java.util.Set<String> NO_SESSION = java.util.Set.of("System", "Secure System", "Registry",
            "MemCompression", "smss.exe");

    @Test
    public void everySessionProcessPointsAtItsSessionWhoseListHoldsItsRunningProcesses() throws Exception {
        if (truth.processFields().absent().contains("Session")) {
            return;
        }
        withKernel(k -> {
            Map<Long, Long> sessionOf = new java.util.HashMap<>();
            for (SynthTruth.Process p : everyProcess()) {
                ProcessFieldTruth.Fields f = fieldsOf(p);
                long session = k.u64(k.field(p.eprocess(), "Session"));
                assertEquals(p.name(), f.session(), session);
                if (NO_SESSION.contains(p.name())) {
                    assertEquals(p.name() + " runs in no session", 0, session);
                    continue;
                }
                assertNotEquals(p.name() + " (" + p.pid() + ") has a session", 0, session);
                long id = k.u32(k.field("_MM_SESSION_SPACE", session, "SessionId"));
                truth.tokens().tokens().stream().filter(t -> t.eprocess() == p.eprocess()).findFirst().ifPresent(
                        t -> assertEquals(p.name() + "'s session is its token's", t.sessionId(), id));
                if (!truth.terminated().contains(p)) {
                    sessionOf.put(p.eprocess(), session);
                }
            }
            assertEquals("sessions 0 and 1", java.util.Set.of(0L, 1L), truth.processFields().sessions().stream().map(
                    ProcessFieldTruth.Session::id).collect(java.util.stream.Collectors.toSet()));
            long links = k.profile().offset("_EPROCESS", "SessionProcessLinks");
            int listed = 0;
            for (ProcessFieldTruth.Session s : truth.processFields().sessions()) {
                assertEquals(s.id(), k.u32(k.field("_MM_SESSION_SPACE", s.address(), "SessionId")));
                long head = k.field("_MM_SESSION_SPACE", s.address(), "ProcessList");
                List<Long> walked = new ArrayList<>();
                for (long e = k.u64(head); e != head && walked.size() <= 1000; e = k.u64(e)) {
                    walked.add(e - links);
                    assertEquals("Blink of the next entry", e, k.u64(k.u64(e) + 8));
                }
                List<Long> expected = sessionOf.entrySet().stream().filter(x -> x.getValue() == s.address()).map(
                        Map.Entry::getKey).sorted().toList();
                assertEquals("session " + s.id() + "'s list", expected, walked.stream().sorted().toList());
                assertEquals(s.processes(), walked);
                listed += walked.size();
            }
            assertEquals("every process in a session is on its list", sessionOf.size(), listed);
            for (SynthTruth.Process hidden : truth.hidden()) {
                assertTrue(hidden.name() + " stays on its session's list", sessionOf.containsKey(hidden.eprocess()));
            }
        });
    }

    @Test
    public void imageFilePointerIsTheFileObjectOfTheExecutable() throws Exception {
        if (truth.processFields().absent().contains("ImageFilePointer")) {
            return;
        }
        withKernel(k -> {
            int images = 0;
            for (SynthTruth.Process p : everyProcess()) {
                long file = k.u64(k.field(p.eprocess(), "ImageFilePointer"));
                assertEquals(p.name(), fieldsOf(p).imageFile(), file);
                if (p.imageBase() == 0) {
                    assertEquals(p.name() + " has no image file", 0, file);
                    continue;
                }
                assertNotEquals(p.name() + " (" + p.pid() + ")", 0, file);
                images++;
                assertEquals(p.name() + " IO_TYPE_FILE", 5, k.bytes(k.field("_FILE_OBJECT", file, "Type"), 1)[0]);
                String name = k.unicode(k.field("_FILE_OBJECT", file, "FileName"));
                String exe = p.imagePath().substring(p.imagePath().lastIndexOf('\\') + 1);
                assertTrue(p.name() + ": " + name, name.toLowerCase().endsWith("\\" + exe.toLowerCase()));
            }
            assertTrue("processes with an image file", images > 5);
        });
    }

    @Test
    public void sectionObjectIsTheImageSectionTheExecutablesViewMaps() throws Exception {
        if (truth.processFields().absent().contains("SectionObject")) {
            return;
        }
        withKernel(k -> {
            for (SynthTruth.Process p : everyProcess()) {
                long section = k.u64(k.field(p.eprocess(), "SectionObject"));
                assertEquals(p.name(), fieldsOf(p).sectionObject(), section);
                if (p.imageBase() == 0) {
                    assertEquals(p.name() + " has no image section", 0, section);
                    continue;
                }
                assertNotEquals(p.name() + " (" + p.pid() + ")", 0, section);
                long controlArea = k.u64(k.field("_SECTION", section, "u1.ControlArea"));
                long file = k.u64(k.field("_CONTROL_AREA", controlArea, "FilePointer")) & ~0xFL;
                assertEquals(p.name() + ": the section's control area is the image file's", k.u64(k.field(p
                        .eprocess(), "ImageFilePointer")), file);
                assertEquals(p.name() + " StartingVpn", p.imageBase() >>> 12, k.u64(k.field("_SECTION", section,
                        "StartingVpn")));
                assertEquals(p.name() + " SectionBaseAddress", p.imageBase(), k.u64(k.field(p.eprocess(),
                        "SectionBaseAddress")));
            }
        });
    }

    private static final List<String> BITS = List.of("ProcessInserted", "HasAddressSpace", "ProcessInSession",
            "ProcessExiting", "ProcessDelete", "VmDeleted", "Minimal");

    @Test
    public void flagsBitsAreThoseOfARunningOrAnExitedProcess() throws Exception {
        withKernel(k -> {
            int checked = 0;
            for (SynthTruth.Process p : everyProcess()) {
                ProcessFieldTruth.Fields f = fieldsOf(p);
                boolean exited = truth.terminated().contains(p);
                for (String bit : BITS) {
                    if (!k.profile().has("_EPROCESS", bit)) {
                        assertFalse(bit, f.flags().contains(bit));
                        continue;
                    }
                    boolean set = k.bit(p.eprocess(), bit);
                    assertEquals(p.name() + " " + bit, f.flags().contains(bit), set);
                    checked++;
                    switch (bit) {
                        case "ProcessExiting", "ProcessDelete", "VmDeleted" -> assertEquals(p.name() + " " + bit,
                                exited, set);
                        case "ProcessInserted" -> assertTrue(p.name() + " " + bit, set);
                        case "ProcessInSession" -> assertEquals(p.name() + " " + bit, !NO_SESSION.contains(p.name())
                                && !truth.processFields().absent().contains("Session"), set);
                        case "Minimal" -> assertEquals(p.name() + " " + bit, p.name().equals("Registry") || p.name()
                                .equals("MemCompression") || p.name().equals("Secure System"), set);
                        default -> {
                        }
                    }
                }
            }
            assertTrue("bits checked", checked > 0);
        });
    }

    @Test
    public void theCidTableHoldsEveryRunningProcessAndThreadByItsId() throws Exception {
        if (truth.processFields().absent().contains("PspCidTable")) {
            return;
        }
        withKernel(k -> {
            long global = k.discovery().symbol("PspCidTable").get();
            long table = k.u64(global);
            assertEquals(truth.processFields().cidTable().table(), table);
            long code = k.u64(k.field("_HANDLE_TABLE", table, "TableCode"));
            Map<Long, Long> expected = new java.util.LinkedHashMap<>();
            List<SynthTruth.Process> running = new ArrayList<>(truth.processes());
            running.addAll(truth.hidden());
            running.stream().filter(p -> p.pid() != 0).forEach(p -> expected.put(p.pid(), p.eprocess()));
            truth.threads().threads().forEach(t -> expected.put(t.tid(), t.ethread()));
            assertTrue("threads", truth.threads().threads().size() > 10);
            for (Map.Entry<Long, Long> e : expected.entrySet()) {
                assertEquals("id " + e.getKey(), e.getValue().longValue(), cidObject(k, code, e.getKey()));
            }
            for (SynthTruth.Process gone : truth.terminated()) {
                assertEquals(gone.name() + " has left the table", 0, cidObject(k, code, gone.pid()));
            }
        });
    }

    /**
     * @return the object the CID table's entry for {@code id} points at, decoded as Windows Internals (7th ed.,
     *         part 1, ch. 8) describes a handle table entry, or 0 for a free entry
     */
    private static long cidObject(Kernel k, long tableCode, long id) {
        long index = id / 4;
        int level = (int) (tableCode & 3);
        long top = tableCode & ~3L;
        long page = switch (level) {
            case 0 -> index < 256 ? top : 0;
            case 1 -> k.u64(top + 8 * (index / 256));
            default -> throw new AssertionError("level " + level);
        };
        if (page == 0) {
            return 0;
        }
        long low = k.u64(page + 16 * (index % 256));
        if (k.profile().has("_HANDLE_TABLE_ENTRY", "ObjectPointerBits")) {
            return (low & 1) == 0 ? 0 : (low >> 16) & ~0xFL;
        }
        return low & ~7L;
    }

    @Test
    public void theRecordedFieldsReadBackAsTheProcessTruthHasThem() throws Exception {
        withKernel(k -> {
            for (SynthTruth.Process p : everyProcess()) {
                String what = "build " + build + " " + p.name() + " (" + p.pid() + ")";
                long e = p.eprocess();
                assertEquals(what, p.pid(), k.u64(k.field(e, "UniqueProcessId")));
                assertEquals(what, p.ppid(), k.u64(k.field(e, "InheritedFromUniqueProcessId")));
                assertEquals(what, p.createFileTime(), k.u64(k.field(e, "CreateTime")));
                if (k.profile().has("_EPROCESS", "ExitTime")) {
                    assertEquals(what, p.exitFileTime(), k.u64(k.field(e, "ExitTime")));
                }
                assertEquals(what, p.peb(), k.u64(k.field(e, "Peb")));
                if (k.profile().has("_EPROCESS", "ActiveThreads")) {
                    assertEquals(what, p.threads(), k.u32(k.field(e, "ActiveThreads")));
                }
                String name = new String(k.bytes(k.field(e, "ImageFileName"), 15), StandardCharsets.ISO_8859_1);
                assertEquals(what, p.name().substring(0, Math.min(14, p.name().length())), name.substring(0, name
                        .indexOf('\0') < 0 ? 14 : Math.min(14, name.indexOf('\0'))));
            }
        });
    }

    @Test
    public void exitStatusIsPendingWhileRunningAndTheExitCodeAfter() throws Exception {
        forEachProcessWith("ExitStatus", (k, p, f) -> {
            boolean exited = truth.terminated().contains(p);
            assertEquals(p.name(), exited, f.exitStatus() != ProcessFieldTruth.STATUS_PENDING);
            assertEquals(p.name(), f.exitStatus(), k.u32(k.field(p.eprocess(), "ExitStatus")));
        });
        assertTrue("an exited process", truth.terminated().size() > 0);
    }

    @Test
    public void everyRunningProcessHasAnObjectTableTaggedObtbAndAnExitedOneNone() throws Exception {
        forEachProcessWith("ObjectTable", (k, p, f) -> {
            long table = k.u64(k.field(p.eprocess(), "ObjectTable"));
            assertEquals(p.name(), f.objectTable(), table);
            if (truth.terminated().contains(p)) {
                assertEquals(p.name() + " ran its table down", 0, table);
            } else if (!truth.processFields().absent().contains("ObjectTable")) {
                assertNotEquals(p.name() + " (" + p.pid() + ")", 0, table);
                assertEquals(p.name() + " table's pool tag", "Obtb", new String(k.bytes(table - 12, 4),
                        StandardCharsets.ISO_8859_1));
            }
        });
        assertTrue("System has a table", truth.processFields().absent().contains("ObjectTable") || fieldsOf(truth
                .processes().stream().filter(p -> p.pid() == 4).findFirst().orElseThrow()).objectTable() != 0);
    }

    @Test
    public void theAuditImageNameIsTheImagesDevicePath() throws Exception {
        forEachProcessWith("SeAuditProcessCreationInfo.ImageFileName", (k, p, f) -> {
            long info = k.u64(k.field(p.eprocess(), "SeAuditProcessCreationInfo.ImageFileName"));
            assertEquals(p.name(), f.auditName(), info);
            assertNotEquals(p.name(), 0, info);
            int length = (int) (k.u32(info) & 0xFFFF);
            long buffer = k.u64(info + 8);
            String name = length == 0 ? "" : new String(k.bytes(buffer, length), StandardCharsets.UTF_16LE);
            assertNotNull(f.auditImageName());
            assertEquals(p.name(), f.auditImageName(), name);
            if (p.imagePath() != null) {
                assertTrue(name, name.matches("\\\\Device\\\\HarddiskVolume\\d+\\\\.+"));
                assertTrue(name, name.toLowerCase().endsWith("\\" + p.name().toLowerCase()));
                assertEquals("the name follows its header", info + 0x10, buffer);
            }
        });
    }

    @Test
    public void protectionIsAsWindowsSetsIt() throws Exception {
        forEachProcessWith("Protection", (k, p, f) -> {
            assertEquals(p.name(), f.protection(), k.bytes(k.field(p.eprocess(), "Protection"), 1)[0] & 0xFF);
            if (p.pid() == 4) {
                assertEquals("System runs protected as WinSystem", 0x72, f.protection());
            }
        });
    }
}
