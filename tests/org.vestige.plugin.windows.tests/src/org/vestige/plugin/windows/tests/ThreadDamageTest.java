package org.vestige.plugin.windows.tests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

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
import org.vestige.synth.ThreadTruth;
import org.vestige.testing.JsonLines;
import org.vestige.testing.SynthesizedImages;
import org.vestige.windows.ModuleWalker;
import org.vestige.windows.PebReader;
import org.vestige.windows.WinModule;
import org.vestige.windows.WinProcess;
import org.vestige.windows.WindowsKernel;
import org.vestige.windows.X64Layer;

/**
 * Damaged thread and loader lists on a synthesized Windows 10 image (the damage is the same on every
 * layout): in one process a thread's Flink and the list head's Blink are wild pointers, in another a
 * thread's Flink points back to the first thread, in a third a loader-list entry's Flink points back to the
 * first module. Each break is a warning naming the process and the address; the threads read before it are
 * listed, a cycle loses nothing (the rest comes from the Blink chain), and every other process's threads and
 * image VADs are exactly the truth.
 */
public class ThreadDamageTest {

    private static final long WILD = 0xFFFF_A5DE_AD00_0000L;

    @ClassRule
    public static TemporaryFolder tmp = new TemporaryFolder();

    private static Path image;
    private static SynthTruth truth;
    /** the process whose thread list is cut by wild pointers, the one with a thread cycle, the one with a loader cycle */
    private static SynthTruth.Process cut;
    private static SynthTruth.Process looped;
    private static SynthTruth.Process ldrLooped;
    private static long cutThread;
    private static long firstThread;
    private static long loopingThread;
    private static long firstModule;
    private static long loopingModule;

    @BeforeClass
    public static void damageLists() throws Exception {
        ImageSynthesizer.Output out = SynthesizedImages.installed("windows.x64.19041.CA8E2F01B822EDE6357898BFBF862997-1",
                SynthOptions.builder().seed(33).windowsBuild(19041).build());
        truth = out.truth();
        List<SynthTruth.Process> candidates = truth.processes().stream().filter(p -> p.peb() != 0 && threads(p)
                .size() >= 4 && threads(p).stream().noneMatch(ThreadTruth.Thread::planted) && p.modules().size() >= 4)
                .toList();
        assertTrue("three processes with user modules and four threads", candidates.size() >= 3);
        cut = candidates.get(0);
        looped = candidates.get(1);
        ldrLooped = candidates.get(2);
        image = tmp.getRoot().toPath().resolve("damaged.raw");
        Files.copy(out.image(), image);
        Extensions ext = Extensions.fromPlatform();
        long[][] writes;
        try (EvidenceCase c = EvidenceCase.open(image, List.of(), ext.formats(), false, new NullProgressMonitor());
                AnalysisSession session = new AnalysisSession(c, ext, SessionSettings.writingTo(tmp.getRoot()
                        .toPath()))) {
            WindowsKernel kernel = WindowsKernel.require(session, "test");
            Profile profile = kernel.discovery().profile();
            X64Layer k = kernel.discovery().kernel();
            assertEquals("the wild pointer must map nothing", -1, k.translate(WILD));
            long links = profile.offset("_ETHREAD", "ThreadListEntry");
            long head = profile.offset("_EPROCESS", "ThreadListHead");
            cutThread = threads(cut).get(1).ethread();
            firstThread = threads(looped).get(0).ethread();
            loopingThread = threads(looped).get(2).ethread();
            WinProcess ldrProcess = kernel.processes().processes().stream().filter(p -> p.pid() == ldrLooped.pid())
                    .findFirst().orElseThrow();
            X64Layer user = kernel.processLayers().layer(ldrProcess);
            List<WinModule> modules = new PebReader(user, profile).modules(ldrProcess.peb(), ModuleWalker.Order.LOAD)
                    .get().modules();
            firstModule = modules.get(0).entry();
            loopingModule = modules.get(2).entry();
            long loadLinks = profile.offset("_LDR_DATA_TABLE_ENTRY", "InLoadOrderLinks");
            writes = new long[][] {
                    // the second thread's Flink and the head's Blink: wild, so only the first two threads are reached
                    {k.translate(cutThread + links), WILD},
                    {k.translate(cut.eprocess() + head + 8), WILD},
                    // the third thread's Flink back to the first: a cycle
                    {k.translate(loopingThread + links), firstThread + links},
                    // the third module's InLoadOrderLinks.Flink back to the first module
                    {user.translate(loopingModule + loadLinks), firstModule + loadLinks}};
        }
        try (FileChannel ch = FileChannel.open(image, StandardOpenOption.WRITE)) {
            for (long[] w : writes) {
                assertTrue("the damaged link is resident", w[0] >= 0);
                ch.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(0, w[1]), w[0]);
            }
        }
    }

    private static List<ThreadTruth.Thread> threads(SynthTruth.Process p) {
        return truth.threads().threads().stream().filter(t -> t.pid() == p.pid()).toList();
    }

    private static String hex(long v) {
        return "0x" + Long.toHexString(v);
    }

    private static boolean names(String err, SynthTruth.Process p, String... parts) {
        return err.lines().anyMatch(l -> l.contains("(pid " + p.pid() + ",") && List.of(parts).stream().allMatch(
                l::contains));
    }

    @Test
    public void brokenThreadListsAreNamedAndEverythingElseIsListed() {
        Cli.Invocation o = ThreadAnalysesTest.run(image, "windows.threads", "-r", "json");
        assertTrue(o.err(), names(o.err(), cut, "_ETHREAD at " + hex(cutThread), "Flink " + hex(WILD)));
        assertTrue(o.err(), names(o.err(), cut, "Blink " + hex(WILD)));
        assertTrue(o.err(), names(o.err(), looped, "_ETHREAD at " + hex(loopingThread), "cycle at _ETHREAD at "
                + hex(firstThread)));
        Set<String> expected = ThreadAnalysesTest.expectedThreads(truth);
        // the cut process keeps the two threads read before the wild Flink
        Set<Long> lost = new HashSet<>();
        threads(cut).subList(2, threads(cut).size()).forEach(t -> lost.add(t.tid()));
        expected.removeIf(r -> r.startsWith(cut.pid() + "|") && lost.contains(Long.valueOf(r.split("\\|")[2])));
        assertEquals(expected, ThreadAnalysesTest.actualThreads(JsonLines.parse(o.out())));
    }

    @Test
    public void aLoaderListCycleIsNamedAndEveryImageVadIsStillCompared() {
        Cli.Invocation o = ThreadAnalysesTest.run(image, "windows.ldrmodules", "-r", "json");
        assertTrue(o.err(), names(o.err(), ldrLooped, "_LDR_DATA_TABLE_ENTRY at " + hex(loopingModule),
                "cycle at _LDR_DATA_TABLE_ENTRY at " + hex(firstModule)));
        assertEquals(ThreadAnalysesTest.expectedImages(truth), ThreadAnalysesTest.actualImages(JsonLines.parse(o
                .out())));
    }

    @Test
    public void suspiciousThreadsStillFindThePlantedThreadPastTheDamage() {
        Cli.Invocation o = ThreadAnalysesTest.run(image, "windows.suspicious_threads", "-r", "json");
        List<ThreadTruth.Thread> planted = truth.threads().planted();
        // the thread injected into explorer.exe and the hollowed svchost.exe's threads, in processes left intact
        assertEquals(planted.stream().map(ThreadTruth.Thread::tid).collect(java.util.stream.Collectors.toSet()),
                JsonLines.parse(o.out()).stream().map(r -> r.get("TID").asLong()).collect(java.util.stream.Collectors
                        .toSet()));
        assertEquals(planted.size(), JsonLines.parse(o.out()).size());
        assertTrue(o.err(), names(o.err(), looped, "cycle at _ETHREAD at " + hex(firstThread)));
    }
}
