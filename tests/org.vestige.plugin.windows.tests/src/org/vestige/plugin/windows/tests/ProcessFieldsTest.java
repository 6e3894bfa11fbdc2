package org.vestige.plugin.windows.tests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

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
import org.vestige.core.types.Profile;
import org.vestige.synth.ImageSynthesizer;
import org.vestige.synth.ProcessFieldTruth;
import org.vestige.synth.SynthOptions;
import org.vestige.synth.SynthTruth;
import org.vestige.testing.SynthesizedImages;
import org.vestige.windows.WindowsKernel;
import org.vestige.windows.X64Layer;

/**
 * Every synthesized process's {@code _EPROCESS} as on a running system, on every synthesized build, read
 * back from the image through the profile Vestige chose: the fields the process truth records (pid,
 * parent, create and exit time, PEB, threads, name) and those a reader without symbols locates offsets
 * by — ExitStatus STATUS_PENDING while running and the exit code after, an ObjectTable in a pool block
 * tagged {@code Obtb} (System's too) and none after exit, SeAuditProcessCreationInfo.ImageFileName naming
 * the image by {@code \Device\HarddiskVolumeN\...}, and Protection — each equal to the truth.
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
    private record Kernel(X64Layer layer, Profile profile) {

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
            check.run(new Kernel(k.discovery().kernel(), k.discovery().profile()));
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
            assertEquals(lacking, truth.processFields().absent());
        });
        if (build >= 17763) {
            assertEquals("build " + build + " has every field", List.of(), truth.processFields().absent());
        }
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
