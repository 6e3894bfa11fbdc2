package org.vestige.fleet;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;

import java.util.List;

import org.junit.Test;

public class LaunchLogTest {

    @Test
    public void diagnosticsBelongToTheAnalysisSavedBeforeThem() {
        LaunchLog log = LaunchLog.parse(List.of(
                "vestige: wrote /t/o/windows.info.jsonl (2034 bytes, sha256 4e7f): windows.info result (json)",
                "vestige: warning: kernel discovery: incomplete",
                "vestige: windows.pslist failed: no Windows kernel could be analysed in this image; discovery tried:",
                "[note] kernel discovery",
                "  [failed] DTB and kernel image: no DTB led to a kernel image",
                "vestige: image.raw hashed while the analysis ran: MD5 0e, SHA-1 b4, SHA-256 fe",
                "vestige: wrote /t/o/windows.svcscan.jsonl (21949 bytes, sha256 7865): windows.svcscan result (json)",
                "vestige: info: netupd: service in memory only"));
        assertEquals(List.of(new LaunchLog.Diagnostic("windows.info", "warning", "kernel discovery: incomplete"),
                new LaunchLog.Diagnostic("windows.pslist", "error", "failed: no Windows kernel could be analysed in"
                        + " this image; discovery tried:\n[note] kernel discovery\n  [failed] DTB and kernel image: no"
                        + " DTB led to a kernel image"),
                new LaunchLog.Diagnostic("windows.svcscan", "info", "netupd: service in memory only")), log.diagnostics());
        assertEquals(List.of("windows.pslist failed: no Windows kernel could be analysed in this image; discovery"
                + " tried:"), log.failures());
        assertNull(log.evidenceError());
    }

    @Test
    public void anEvidenceErrorIsTheCasesReason() {
        LaunchLog log = LaunchLog.parse(List.of("vestige: evidence error: /t/bad.dmp: recognised but damaged"));
        assertEquals("/t/bad.dmp: recognised but damaged", log.evidenceError());
        assertEquals("evidence error: /t/bad.dmp: recognised but damaged", CaseRunner.error(CaseFacts.none(), log, 3));
    }
}
