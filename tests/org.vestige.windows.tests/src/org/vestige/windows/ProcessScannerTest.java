package org.vestige.windows;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;

import org.junit.Test;
import org.junit.runner.RunWith;
import org.junit.runners.Parameterized;
import org.junit.runners.Parameterized.Parameters;
import org.vestige.synth.SynthTruth;

/** psscan against the truth on every synthesized build: every process, the exited one included. */
@RunWith(Parameterized.class)
public class ProcessScannerTest {

    @Parameters(name = "{0} build {1}")
    public static Collection<Object[]> builds() {
        return Discovered.builds();
    }

    private final String profileFile;
    private final int build;

    public ProcessScannerTest(String profileFile, int build) {
        this.profileFile = profileFile;
        this.build = build;
    }

    @Test(timeout = 120_000)
    public void scanFindsListedAndExitedProcesses() throws Exception {
        try (Discovered d = Discovered.of(profileFile, build)) {
            ScanResult r = new ProcessScanner(d.physical, d.kernel(), d.profile()).scan(2);
            assertEquals(r.warnings().toString(), List.of(), r.warnings());
            assertEquals(d.physical.size(), r.bytesScanned());
            List<SynthTruth.Process> all = new ArrayList<>(d.truth().processes());
            all.addAll(d.truth().terminated());
            all.addAll(d.truth().hidden());
            List<WinProcess> found = r.processes().stream().map(ScannedProcess::process).toList();
            assertEquals(Processes.expected(all), Processes.actual(found));
            assertEquals(all.size(), found.size());
            for (ScannedProcess s : r.processes()) {
                assertEquals(s.physical(), d.kernel().translate(s.process().eprocess()));
            }
            SynthTruth.Process gone = d.truth().terminated().get(0);
            ScannedProcess exited = r.processes().stream().filter(s -> s.process().eprocess() == gone.eprocess())
                    .findFirst().orElseThrow();
            assertTrue(exited.exited());
            assertEquals(ProcessWalker.instant(gone.exitFileTime()), exited.process().exitTime());
            assertEquals(1, r.processes().stream().filter(ScannedProcess::exited).count());

            ProcessList listed = new ProcessWalker(d.kernel(), d.profile()).walk(d.discovery.psActiveProcessHead());
            Set<Processes.Key> onList = Processes.actual(listed.processes());
            assertFalse(onList.containsAll(Processes.actual(found)));
            assertEquals(Processes.expected(d.truth().processes()), onList);
        }
    }

    @Test(timeout = 120_000)
    public void oneThreadFindsTheSame() throws Exception {
        try (Discovered d = Discovered.of(profileFile, build)) {
            ProcessScanner scanner = new ProcessScanner(d.physical, d.kernel(), d.profile());
            assertEquals(scanner.scan(2).processes(), scanner.scan(1).processes());
        }
    }
}
