package org.vestige.ui.tests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import org.junit.Test;
import org.vestige.core.result.AnalysisResult;
import org.vestige.ui.ResultTable;

/** The Results view's header tells an analyst what the command's exit code tells a script. */
public class ResultsOutcomeTest {

    @Test
    public void everyOutcomeButCompleteIsSpelledOut() {
        assertEquals("", ResultTable.outcome(AnalysisResult.Outcome.COMPLETE));
        assertTrue(ResultTable.outcome(AnalysisResult.Outcome.NOTHING_READ).contains("nothing it was asked for could "
                + "be read"));
        assertTrue(ResultTable.outcome(AnalysisResult.Outcome.INTEGRITY_FAILURE).contains("INTEGRITY CHECK FAILED"));
    }
}
