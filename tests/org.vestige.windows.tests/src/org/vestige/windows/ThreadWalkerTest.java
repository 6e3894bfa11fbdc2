package org.vestige.windows;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

import org.junit.Test;
import org.junit.runner.RunWith;
import org.junit.runners.Parameterized;
import org.junit.runners.Parameterized.Parameters;
import org.vestige.synth.SynthTruth;
import org.vestige.synth.ThreadTruth;

/**
 * Thread lists against the truth on every synthesized build: every thread of every process with its ids,
 * state, start addresses and creation time, in list order; the kernel's own list ({@code _KPROCESS
 * .ThreadListHead} through {@code _KTHREAD.ThreadListEntry}) holds the same threads in the same order;
 * an exited process's lists are empty.
 */
@RunWith(Parameterized.class)
public class ThreadWalkerTest {

    @Parameters(name = "{0} build {1}")
    public static Collection<Object[]> builds() {
        return Discovered.builds();
    }

    private final String profileFile;
    private final int build;

    public ThreadWalkerTest(String profileFile, int build) {
        this.profileFile = profileFile;
        this.build = build;
    }

    record Key(long ethread, long pid, long tid, int state, long start, long win32Start, Instant created) {
    }

    private static WinProcess process(SynthTruth.Process p) {
        return new WinProcess(p.eprocess(), p.pid(), p.ppid(), p.name(), p.createTime(), null, p.dtb(), p.peb(), p
                .threads());
    }

    private static Instant instant(long fileTime) {
        return Instant.ofEpochSecond(Math.floorDiv(fileTime, 10_000_000L) - 11_644_473_600L, Math.floorMod(fileTime,
                10_000_000L) * 100);
    }

    @Test
    public void everyThreadListIsExactlyTheTruths() throws Exception {
        try (Discovered d = Discovered.of(profileFile, build)) {
            ThreadWalker walker = new ThreadWalker(d.kernel(), d.profile());
            long kernelHead = d.profile().offset("_EPROCESS", "Pcb.ThreadListHead");
            long kernelLinks = d.profile().offset("_KTHREAD", "ThreadListEntry");
            int threads = 0;
            for (SynthTruth.Process p : d.truth().processes()) {
                List<Key> expected = new ArrayList<>();
                for (ThreadTruth.Thread t : d.truth().threads().threads()) {
                    if (t.pid() == p.pid()) {
                        expected.add(new Key(t.ethread(), t.pid(), t.tid(), t.state(), t.startAddress(), t
                                .win32StartAddress(), instant(t.createFileTime())));
                    }
                }
                ThreadList list = walker.walk(process(p));
                assertEquals(p.name(), List.of(), list.warnings());
                assertEquals(p.name(), expected, list.threads().stream().map(t -> new Key(t.ethread(), t.pid(), t
                        .tid(), t.state().get(), t.startAddress().get(), t.win32StartAddress().get(), t.createTime()
                                .get())).toList());
                assertEquals(p.name(), p.threads(), expected.size());
                ListWalk.Result kernelList = new ListWalk(d.kernel(), true, ThreadWalker.MAX_THREADS).walk(p
                        .eprocess() + kernelHead, p.name() + " Pcb.ThreadListHead", Discovered::hex);
                assertTrue(p.name(), kernelList.complete());
                assertEquals(p.name(), expected.stream().map(k -> k.ethread() + kernelLinks).toList(), kernelList
                        .entries());
                threads += expected.size();
            }
            assertTrue("threads: " + threads, threads > 100);
            for (SynthTruth.Process p : d.truth().terminated()) {
                ThreadList list = walker.walk(process(p));
                assertEquals(p.name(), List.of(), list.threads());
                assertEquals(p.name(), List.of(), list.warnings());
            }
        }
    }
}
