package org.vestige.plugin.profiles.pdb;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.Test;
import org.vestige.core.types.IsfReader;
import org.vestige.core.types.Profile;
import org.vestige.core.types.StructType;
import org.vestige.plugin.profiles.PdbIsf;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * ISF documents written from the testdata PDBs: they follow Volatility 3's ISF schema rules, read back
 * as profiles, and hold every named structure with the size and member offsets llvm-pdbutil gives
 * (or, without llvm-pdbutil, the reader's own records, which {@link PdbFileTest} checks against it).
 */
public class PdbIsfTest {

    @Test
    public void everyTestdataPdbBecomesAValidIsfWithLlvmsLayouts() throws Exception {
        Path folder = PdbFileTest.folder();
        String tool = LlvmPdbDump.tool();
        int checked = 0;
        for (PdbFileTest.Truth t : PdbFileTest.truth(folder)) {
            if (t.guid().equals("-")) {
                continue;
            }
            Path file = folder.resolve(t.file());
            PdbFile pdb = PdbFile.read(file);
            ObjectNode isf = PdbIsf.convert(pdb, t.file());
            List<String> problems = IsfSchemaRules.check(isf);
            assertTrue(t.file() + ": " + problems.subList(0, Math.min(10, problems.size())), problems.isEmpty());

            byte[] json = new ObjectMapper().writeValueAsBytes(isf);
            Profile profile = IsfReader.read(new ByteArrayInputStream(json), t.file());
            assertEquals(pdb.info().guid(), profile.identity().guid());
            assertEquals(pdb.info().age(), profile.identity().age());
            assertEquals(pdb.machine(), profile.identity().machineType());
            Map<String, LlvmPdbDump.Layout> expected = tool != null ? LlvmPdbDump.run(tool, file).namedLayouts()
                    : layoutsFromReader(pdb);
            assertFalse(t.file(), expected.isEmpty());
            assertLayouts(t.file(), expected, profile);
            long withRva = pdb.publics().stream().filter(PublicSymbol::hasRva).map(PublicSymbol::name).distinct()
                    .count();
            assertEquals(t.file() + " symbols", withRva, profile.symbols().size());
            for (PublicSymbol p : pdb.publics()) {
                if (p.hasRva()) {
                    assertTrue(p.name(), profile.symbols().containsKey(p.name()));
                }
            }
            checked++;
        }
        assertEquals(6, checked);
    }

    /** Every named structure of {@code expected} is in the profile with that size and those member offsets. */
    public static void assertLayouts(String what, Map<String, LlvmPdbDump.Layout> expected, Profile profile) {
        for (var e : expected.entrySet()) {
            StructType s = profile.structs().get(e.getKey());
            assertTrue(what + ": " + e.getKey() + " is missing", s != null);
            assertEquals(what + ": size of " + e.getKey(), e.getValue().size(), s.size());
            for (var m : e.getValue().offsets().entrySet()) {
                assertTrue(what + ": " + e.getKey() + "." + m.getKey() + " is missing", s.has(m.getKey()));
                assertEquals(what + ": " + e.getKey() + "." + m.getKey(), m.getValue().longValue(), s.fields().get(m
                        .getKey()).offset());
            }
        }
    }

    /** @return the named layouts as the reader gives them, in the form {@link LlvmPdbDump#namedLayouts()} has */
    public static Map<String, LlvmPdbDump.Layout> layoutsFromReader(PdbFile pdb) throws PdbException {
        LlvmPdbDump d = new LlvmPdbDump();
        TypeStream types = pdb.types();
        for (int ti = types.first(); ti < types.end(); ti++) {
            if (types.get(ti) instanceof TypeRecord.Aggregate a) {
                d.aggregates.put(ti, new LlvmPdbDump.Aggregate(a.kind(), a.name(), a.forward(), a.size(), a
                        .fieldList()));
                if (!a.forward() && a.fieldList() != 0) {
                    d.fieldLists.put(a.fieldList(), types.members(a.fieldList()).stream().map(
                            m -> new LlvmPdbDump.Member(m.name(), m.offset())).toList());
                }
            }
        }
        return d.namedLayouts();
    }
}
