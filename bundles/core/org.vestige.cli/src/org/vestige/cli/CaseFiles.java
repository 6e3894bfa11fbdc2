package org.vestige.cli;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.vestige.core.evidence.EvidenceCase;
import org.vestige.core.evidence.EvidenceRecord;
import org.vestige.core.plugin.AnalysisSession;
import org.vestige.core.plugin.CaseFacts;
import org.vestige.core.render.CaseRecord;

/** What a case file records about the case a command ran on. */
final class CaseFiles {

    private CaseFiles() {
    }

    /**
     * @param evidenceCase the case, or null when the analyses needed no evidence
     * @param session      the session, whose services say what the engines found out
     * @param command      the command as given
     * @param started      when it started
     * @return the evidence files by role with their digests, the evidence format and every engine's facts
     */
    static CaseRecord record(EvidenceCase evidenceCase, AnalysisSession session, List<String> command,
            Instant started) {
        Map<String, EvidenceRecord> evidence = new LinkedHashMap<>();
        Map<String, String> facts = new LinkedHashMap<>();
        if (evidenceCase != null) {
            evidence.put("image", evidenceCase.image());
            List<EvidenceRecord> companions = evidenceCase.companions();
            for (int i = 0; i < companions.size(); i++) {
                evidence.put("volume " + (i + 2), companions.get(i));
            }
            evidenceCase.pagefiles().forEach(p -> evidence.put("pagefile " + p.slot(), p.record()));
            facts.put("evidence format", evidenceCase.evidence().formatId());
        }
        for (CaseFacts f : session.servicesOf(CaseFacts.class)) {
            facts.putAll(f.caseFacts());
        }
        facts.put("vestige", Cli.VERSION);
        return new CaseRecord(evidence, facts, command, started);
    }
}
