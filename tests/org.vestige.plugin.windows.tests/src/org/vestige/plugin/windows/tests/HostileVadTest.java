package org.vestige.plugin.windows.tests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.stream.Stream;

import org.eclipse.core.runtime.NullProgressMonitor;
import org.junit.BeforeClass;
import org.junit.ClassRule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.vestige.cli.Cli;
import org.vestige.core.evidence.EvidenceCase;
import org.vestige.core.plugin.AnalysisSession;
import org.vestige.core.plugin.SessionSettings;
import org.vestige.core.registry.Extensions;
import org.vestige.core.types.Profile;
import org.vestige.synth.ImageSynthesizer;
import org.vestige.synth.SynthOptions;
import org.vestige.synth.SynthTruth;
import org.vestige.testing.SynthesizedImages;
import org.vestige.windows.WindowsKernel;

/**
 * One damaged VAD of notepad.exe claims a range of 16 TiB (its EndingVpn flipped to 0xffffffff). Dumping the
 * process must stay bounded in time and disk, name the VAD, and still dump every other range.
 */
public class HostileVadTest {

    @ClassRule
    public static TemporaryFolder tmp = new TemporaryFolder();

    private static Path image;
    private static SynthTruth.Process notepad;
    private static SynthTruth.Vad victim;

    @BeforeClass
    public static void damageOneVad() throws Exception {
        ImageSynthesizer.Output out = SynthesizedImages.installed("windows.x64.19041.CA8E2F01B822EDE6357898BFBF862997-1",
                SynthOptions.builder().seed(18).windowsBuild(19041).build());
        notepad = out.truth().processes().stream().filter(p -> p.name().equals("notepad.exe")).findFirst()
                .orElseThrow();
        victim = notepad.vads().stream().filter(v -> v.privateMemory()).findFirst().orElseThrow();
        image = tmp.getRoot().toPath().resolve("hostile.raw");
        Files.copy(out.image(), image);
        Extensions ext = Extensions.fromPlatform();
        long pa;
        long endVpn;
        long endVpnHigh;
        try (EvidenceCase c = EvidenceCase.open(image, List.of(), ext.formats(), false, new NullProgressMonitor());
                AnalysisSession session = new AnalysisSession(c, ext, SessionSettings.writingTo(tmp.getRoot()
                        .toPath()))) {
            WindowsKernel kernel = WindowsKernel.require(session, "test");
            Profile profile = kernel.discovery().profile();
            endVpn = profile.offset("_MMVAD_SHORT", "EndingVpn");
            endVpnHigh = profile.has("_MMVAD_SHORT", "EndingVpnHigh") ? profile.offset("_MMVAD_SHORT",
                    "EndingVpnHigh") : -1;
            pa = kernel.discovery().kernel().translate(victim.node());
        }
        assertTrue("the VAD node is resident", pa >= 0);
        try (FileChannel ch = FileChannel.open(image, StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(0, 0xffffffff), pa + endVpn);
            if (endVpnHigh >= 0) {
                ch.write(ByteBuffer.allocate(1), pa + endVpnHigh);
            }
        }
    }

    private static void assertBounded(Cli.Invocation o, Path out) throws Exception {
        assertEquals(o.err(), 0, o.exitCode());
        assertTrue(o.err(), o.err().contains("VAD 0x%x-0xfffffffffff (_MMVAD at 0x%x) spans".formatted(victim.start(),
                victim.node())));
        assertTrue(o.err(), o.err().contains("more than the evidence can hold"));
        long written = 0;
        try (Stream<Path> files = Files.list(out)) {
            for (Path f : files.toList()) {
                assertFalse("no spool file is left: " + f, f.getFileName().toString().endsWith(".spool"));
                written += Files.size(f);
            }
        }
        assertTrue("written " + written, written < Files.size(image));
    }

    @Test(timeout = 120_000)
    public void memdumpLeavesTheDamagedVadOutAndDumpsTheRest() throws Exception {
        Path out = tmp.newFolder("memdump").toPath();
        Cli.Invocation o = WindowsAnalysesTest.vestige("-f", image.toString(), "--no-hash", "-q", "-o", out.toString(),
                "windows.memdump", "--pid", Long.toString(notepad.pid()), "-r", "json");
        assertBounded(o, out);
        long dumped = notepad.vads().stream().filter(v -> v.node() != victim.node()).mapToLong(v -> v.end() - v
                .start() + 1).sum();
        assertEquals(dumped, Files.size(out.resolve(notepad.pid() + ".notepad.exe.dmp")));
    }

    @Test(timeout = 120_000)
    public void minidumpLeavesTheDamagedVadOutAndDumpsTheRest() throws Exception {
        Path out = tmp.newFolder("minidump").toPath();
        Cli.Invocation o = WindowsAnalysesTest.vestige("-f", image.toString(), "--no-hash", "-q", "-o", out.toString(),
                "windows.minidump", "--pid", Long.toString(notepad.pid()));
        assertBounded(o, out);
        assertTrue(Files.exists(out.resolve(notepad.pid() + ".notepad.exe.mdmp")));
    }
}
