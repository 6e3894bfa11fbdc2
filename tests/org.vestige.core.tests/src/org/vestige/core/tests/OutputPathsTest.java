package org.vestige.core.tests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.nio.file.Path;

import org.junit.Test;
import org.vestige.core.plugin.AnalysisException;
import org.vestige.core.plugin.OutputPaths;
import org.vestige.core.result.AnalysisResult;
import org.vestige.core.result.Column;
import org.vestige.core.result.ResultTable;

/** Files analyses write stay under the output folder; a result's outcome only ever gets more serious. */
public class OutputPathsTest {

    private static final Path OUT = Path.of("/cases/0042/out");

    @Test
    public void namesInsideTheFolderResolveUnderIt() throws AnalysisException {
        assertEquals(Path.of("/cases/0042/out/memory.raw"), OutputPaths.resolve(OUT, "memory.raw"));
        assertEquals(Path.of("/cases/0042/out/dumps/4.System.dmp"), OutputPaths.resolve(OUT, "dumps/4.System.dmp"));
        assertEquals(Path.of("/cases/0042/out/b.raw"), OutputPaths.resolve(OUT, "a/../b.raw"));
    }

    @Test
    public void namesLeavingTheFolderAreRefused() {
        for (String name : new String[] {"../../../escaped.raw", "dumps/../../x.raw", "..", "."}) {
            AnalysisException e = assertThrows(name, AnalysisException.class, () -> OutputPaths.resolve(OUT, name));
            assertTrue(e.getMessage(), e.getMessage().contains("'" + name + "' leaves the output folder /cases/0042/out"));
        }
        AnalysisException e = assertThrows(AnalysisException.class, () -> OutputPaths.resolve(OUT, "/etc/passwd"));
        assertTrue(e.getMessage(), e.getMessage().contains("'/etc/passwd' is absolute"));
        e = assertThrows(AnalysisException.class, () -> OutputPaths.resolve(OUT, " "));
        assertEquals("an output file needs a name", e.getMessage());
        e = assertThrows(AnalysisException.class, () -> OutputPaths.resolve(OUT, "nul\0byte"));
        assertTrue(e.getMessage(), e.getMessage().contains("is not a valid path"));
    }

    @Test
    public void theMoreSeriousOutcomeIsKept() {
        AnalysisResult r = new AnalysisResult("x", ResultTable.of(Column.string("A")));
        assertEquals(AnalysisResult.Outcome.COMPLETE, r.outcome());
        r.outcome(AnalysisResult.Outcome.INTEGRITY_FAILURE).outcome(AnalysisResult.Outcome.NOTHING_READ);
        assertEquals(AnalysisResult.Outcome.INTEGRITY_FAILURE, r.outcome());
        r.outcome(AnalysisResult.Outcome.COMPLETE);
        assertEquals(AnalysisResult.Outcome.INTEGRITY_FAILURE, r.outcome());
    }
}
