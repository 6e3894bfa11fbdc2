package org.vestige.windows;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;
import static org.junit.Assume.assumeTrue;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.junit.Test;
import org.junit.runner.RunWith;
import org.junit.runners.Parameterized;
import org.junit.runners.Parameterized.Parameters;
import org.vestige.core.layer.MissingCause;
import org.vestige.synth.HandleTruth;
import org.vestige.synth.SynthOptions;
import org.vestige.synth.SynthTruth;

/**
 * Handle tables and the object manager against the truth on every synthesized build — every handle of
 * every process, every field — and tables and headers damaged three ways.
 */
@RunWith(Parameterized.class)
public class HandleTableWalkerTest {

    @Parameters(name = "{0} build {1}")
    public static Collection<Object[]> builds() {
        return Discovered.builds();
    }

    private final String profileFile;
    private final int build;

    public HandleTableWalkerTest(String profileFile, int build) {
        this.profileFile = profileFile;
        this.build = build;
    }

    record Key(long value, long entry, long object, String type, long access, String name) {
    }

    static List<Key> expected(HandleTruth.Table t) {
        return t.handles().stream().map(h -> new Key(h.value(), h.entry(), h.object(), h.type(), h.access(), h.name()))
                .toList();
    }

    static List<Key> actual(HandleList list) {
        return list.handles().stream().map(h -> new Key(h.value(), h.entry(), h.object(), h.type().orElse("missing: "
                + h.type().reason()), h.access(), h.name().orElse("missing: " + h.name().reason()))).toList();
    }

    /** @return the index of the first entry of a page of entries of the table, from the truth's entries in it */
    static long indexOf(HandleTruth.Table t, long page) {
        return t.handles().stream().filter(h -> (h.entry() & ~0xfffL) == page).mapToLong(h -> h.value() / 4 - (h
                .entry() - page) / 16).findFirst().orElseThrow();
    }

    /** Skips, saying why, when the image was laid out without handle tables (a profile lacking their types). */
    private static HandleTruth handles(Discovered d) {
        HandleTruth h = d.truth().handles();
        assumeTrue("no handle tables in this image: " + h.skipped(), h.skipped() == null);
        return h;
    }

    private static WinProcess process(Discovered d, long pid) {
        ProcessList list = new ProcessWalker(d.kernel(), d.profile()).walk(d.discovery.psActiveProcessHead());
        return list.processes().stream().filter(p -> p.pid() == pid).findFirst().orElseThrow();
    }

    @Test
    public void everyHandleOfEveryProcessIsTheTruths() throws Exception {
        try (Discovered d = Discovered.of(profileFile, build)) {
            HandleTruth truth = handles(d);
            ObjectManager objects = new ObjectManager(d.kernel(), d.discovery);
            ObjectTypeTable types = objects.types().get();
            assertEquals(truth.typeTable(), types.address());
            assertEquals(truth.cookie(), types.cookie());
            assertEquals(truth.types(), types.names());
            HandleTableWalker walker = new HandleTableWalker(objects);
            ProcessList list = new ProcessWalker(d.kernel(), d.profile()).walk(d.discovery.psActiveProcessHead());
            Set<Integer> levels = new TreeSet<>();
            Set<String> seenTypes = new TreeSet<>();
            int total = 0;
            int pagedOut = 0;
            for (WinProcess p : list.processes()) {
                HandleTruth.Table t = truth.processes().get(p.pid());
                HandleList handles = walker.walk(p);
                if (t == null) {
                    assertEquals(p.toString(), List.of(), handles.handles());
                    continue;
                }
                assertEquals(p + " " + handles.warnings(), List.of(), handles.warnings());
                assertEquals(p.toString(), t.table(), handles.table());
                assertEquals(p.toString(), t.level(), handles.level());
                // without the pagefile, a page of entries paged out is one unreadable part with its cause
                List<HandleList.Unreadable> missing = new ArrayList<>();
                t.pagedOut().forEach((page, offset) -> missing.add(new HandleList.Unreadable(page, indexOf(t, page) * 4,
                        indexOf(t, page) * 4 + 0x3fc, new MissingCause.PagedOut(0, offset),
                        null)));
                assertEquals(p.toString(), missing.size(), handles.unreadable().size());
                for (int i = 0; i < missing.size(); i++) {
                    HandleList.Unreadable want = missing.get(i);
                    HandleList.Unreadable got = handles.unreadable().get(i);
                    assertEquals(want.address(), got.address());
                    assertEquals(want.firstValue(), got.firstValue());
                    assertEquals(want.lastValue(), got.lastValue());
                    assertEquals(want.cause(), got.cause());
                    assertTrue(got.reason(), got.reason().contains(p.name() + " (pid " + p.pid() + ")"));
                    pagedOut++;
                }
                assertEquals(p.toString(), expected(t).stream().filter(k -> !t.pagedOut().containsKey(k.entry()
                        & ~0xfffL)).toList(), actual(handles));
                levels.add(handles.level());
                handles.handles().forEach(h -> seenTypes.add(h.type().get()));
                total += handles.handles().size();
            }
            assertEquals(truth.processes().size(), list.processes().stream().filter(p -> truth.processes()
                    .containsKey(p.pid())).count());
            assertEquals(Set.of(0, 1, 2), levels);
            assertEquals(1, pagedOut);
            assertTrue(seenTypes.toString(), seenTypes.containsAll(List.of("File", "Key", "Process", "Thread",
                    "Section", "Mutant", "Event", "Semaphore", "Directory", "SymbolicLink", "Token")));
            assertTrue("handles: " + total, total > 500);
            // the exited process's table was run down
            for (SynthTruth.Process gone : d.truth().terminated()) {
                WinProcess p = new WinProcess(gone.eprocess(), gone.pid(), 0, gone.name(), null, null, 0, 0, 0);
                assertEquals(List.of(), walker.walk(p).handles());
            }
        }
    }

    @Test
    public void withoutSymbolsTheTypeTableIsFoundByItsShapeAndTheCookieDerivedFromTheTypeObjects() throws Exception {
        try (Discovered d = Discovered.of(profileFile, build)) {
            HandleTruth truth = handles(d);
            KernelDiscovery k = d.discovery;
            // a profile whose PDB is not the kernel's: its symbol RVAs do not apply
            KernelDiscovery foreign = new KernelDiscovery(k.dtb(), k.selfMapIndex(), k.kernelBase(), k.kernelSize(),
                    new PdbIdentity("ntkrnlmp.pdb", "00000000000000000000000000000000", 1), k.build(), k.kdbg(),
                    k.kdbgEncoded(), k.psActiveProcessHead(), k.psLoadedModuleList(), k.profile(), k.kernel(),
                    k.report());
            ObjectTypeTable types = new ObjectManager(d.kernel(), foreign).types().get();
            assertEquals(truth.typeTable(), types.address());
            assertEquals(truth.cookie(), types.cookie());
            assertEquals(truth.types(), types.names());
        }
    }

    @Test
    public void aBodyThatDoesNotFitItsHeadersTypeIsNamed() throws Exception {
        try (Discovered d = Discovered.of(profileFile, build)) {
            HandleTruth truth = handles(d);
            ObjectManager objects = new ObjectManager(d.kernel(), d.discovery);
            HandleTruth.Handle file = truth.processes().values().stream().flatMap(t -> t.handles().stream()).filter(
                    h -> h.type().equals("File")).findFirst().orElseThrow();
            ObjectManager.Header real = objects.header(file.object() - objects.bodyOffset()).get();
            assertEquals("File", real.type().get());
            assertTrue(objects.inconsistency(real).isEmpty());
            // the same header read as if its TypeIndex said Process or Thread
            for (String other : List.of("Process", "Thread")) {
                ObjectManager.Header misread = new ObjectManager.Header(real.header(), real.typeIndex(), real
                        .infoMask(), Readout.of(other));
                String marker = other.equals("Process") ? "_EPROCESS Pcb.Header.Type" : "_ETHREAD Tcb.Header.Type";
                if (!d.profile().has(marker.split(" ")[0], marker.split(" ")[1])) {
                    // a partial layout without the dispatcher header's Type cannot tell: nothing is claimed
                    assertTrue(objects.inconsistency(misread).isEmpty());
                    continue;
                }
                String why = objects.inconsistency(misread).orElseThrow();
                assertTrue(why, why.contains(Discovered.hex(file.object())) && why.contains("does not fit"));
            }
        }
    }

    @Test
    public void namesCarryDevicesKeyPathsAndIds() throws Exception {
        try (Discovered d = Discovered.of(profileFile, build)) {
            HandleTruth truth = handles(d);
            ObjectManager objects = new ObjectManager(d.kernel(), d.discovery);
            HandleTableWalker walker = new HandleTableWalker(objects);
            Map.Entry<Long, HandleTruth.Table> first = truth.processes().entrySet().stream().filter(e -> e.getKey()
                    != 4).findFirst().orElseThrow();
            List<WinHandle> handles = walker.walk(process(d, first.getKey())).handles();
            assertTrue(handles.stream().anyMatch(h -> h.type().get().equals("File") && h.name().get().startsWith(
                    "\\Device\\HarddiskVolume3\\Windows\\System32")));
            assertTrue(handles.stream().anyMatch(h -> h.type().get().equals("Key") && h.name().get().startsWith(
                    "\\REGISTRY\\")));
            assertTrue(handles.stream().anyMatch(h -> h.type().get().equals("Thread") && h.name().get().matches(
                    "tid \\d+ pid " + first.getKey())));
            assertTrue(handles.stream().anyMatch(h -> h.type().get().equals("Directory") && h.name().get().equals(
                    "\\KnownDlls")));
        }
    }

    private Discovered smeared(SynthOptions.Smear smear) {
        try (Discovered plain = Discovered.of(profileFile, build)) {
            handles(plain);
        }
        return Discovered.of(profileFile, SynthOptions.builder().seed(91 + build).windowsBuild(build).smear(smear)
                .build());
    }

    @Test(timeout = 120_000)
    public void aLevelOneTableThatPointsAtItselfIsReportedAndEveryHandleStillListed() throws Exception {
        try (Discovered d = smeared(SynthOptions.Smear.HANDLE_TABLE_CYCLE)) {
            HandleTruth truth = handles(d);
            SynthTruth.SmearInfo smear = d.truth().smear();
            HandleList list = new HandleTableWalker(new ObjectManager(d.kernel(), d.discovery)).walk(process(d, smear
                    .pid()));
            HandleTruth.Table t = truth.processes().get(smear.pid());
            assertEquals(expected(t).stream().filter(k -> !t.pagedOut().containsKey(k.entry() & ~0xfffL)).toList(),
                    actual(list));
            assertEquals(t.pagedOut().size(), list.unreadable().size());
            assertTrue(list.warnings().toString(), list.warnings().stream().anyMatch(w -> w.contains("pid " + smear
                    .pid()) && w.contains(Discovered.hex(smear.structure())) && w.contains("cycle")));
        }
    }

    @Test
    public void aWildObjectPointerIsReportedAndTheRestListed() throws Exception {
        try (Discovered d = smeared(SynthOptions.Smear.HANDLE_WILD_OBJECT)) {
            HandleTruth truth = handles(d);
            SynthTruth.SmearInfo smear = d.truth().smear();
            HandleList list = new HandleTableWalker(new ObjectManager(d.kernel(), d.discovery)).walk(process(d, smear
                    .pid()));
            List<Key> expected = new ArrayList<>(expected(truth.processes().get(smear.pid())));
            Key victim = expected.stream().filter(k -> k.entry() == smear.structure()).findFirst().orElseThrow();
            WinHandle wild = list.handles().stream().filter(h -> h.entry() == smear.structure()).findFirst()
                    .orElseThrow();
            assertFalse(wild.type().isPresent());
            assertTrue(wild.type().cause() instanceof MissingCause.NotMapped);
            assertEquals(victim.value(), wild.value());
            assertEquals(victim.access(), wild.access());
            expected.remove(victim);
            assertEquals(expected, actual(list).stream().filter(k -> k.entry() != smear.structure()).toList());
            assertTrue(list.warnings().toString(), list.warnings().stream().anyMatch(w -> w.contains("pid " + smear
                    .pid()) && w.contains(Discovered.hex(smear.structure())) && w.contains(Discovered.hex(
                            wild.header()))));
        }
    }

    @Test
    public void aHeaderEncodedWithAWrongCookieNamesNoTypeAndTheRestIsListed() throws Exception {
        try (Discovered d = smeared(SynthOptions.Smear.HANDLE_BAD_TYPE)) {
            HandleTruth truth = handles(d);
            SynthTruth.SmearInfo smear = d.truth().smear();
            HandleList list = new HandleTableWalker(new ObjectManager(d.kernel(), d.discovery)).walk(process(d, smear
                    .pid()));
            List<Key> expected = new ArrayList<>(expected(truth.processes().get(smear.pid())));
            Key victim = expected.stream().filter(k -> k.entry() == smear.structure()).findFirst().orElseThrow();
            WinHandle bad = list.handles().stream().filter(h -> h.entry() == smear.structure()).findFirst()
                    .orElseThrow();
            assertFalse(bad.type().isPresent());
            assertTrue(bad.type().reason(), bad.type().reason().contains("ObTypeIndexTable does not hold"));
            assertEquals(victim.object(), bad.object());
            assertNotNull(bad.name());
            expected.remove(victim);
            assertEquals(expected, actual(list).stream().filter(k -> k.entry() != smear.structure()).toList());
            assertTrue(list.warnings().toString(), list.warnings().stream().anyMatch(w -> w.contains("pid " + smear
                    .pid()) && w.contains(Discovered.hex(bad.header()))));
        }
    }
}
