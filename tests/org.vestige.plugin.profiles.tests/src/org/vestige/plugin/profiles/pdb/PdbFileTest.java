package org.vestige.plugin.profiles.pdb;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;
import static org.junit.Assume.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.Test;
import org.vestige.testing.TestData;

/**
 * The PDB reader against the real MSVC PDBs of {@code ../shared/testdata/pdb}: identity and counts
 * against the ground truth committed there (its README table, made with llvm-pdbutil), and every
 * structure, class and union record, field list and public symbol against llvm-pdbutil's own output
 * when it is on the PATH.
 */
public class PdbFileTest {

    /** A row of the testdata README's table. */
    record Truth(String file, String guid, long age, int aggregateLines, int publics) {
    }

    public static Path folder() {
        Path root = TestData.root();
        assumeTrue("test data not found (../shared/testdata or -D" + TestData.PROPERTY + "); skipping PDB tests",
                root != null && Files.isDirectory(root.resolve("pdb")));
        return root.resolve("pdb");
    }

    static List<Truth> truth(Path folder) throws IOException {
        List<Truth> out = new ArrayList<>();
        for (String line : Files.readAllLines(folder.resolve("README.md"), StandardCharsets.UTF_8)) {
            String[] cells = line.split("\\|", -1);
            if (cells.length == 7 && cells[1].trim().endsWith(".pdb")) {
                String age = cells[3].trim();
                out.add(new Truth(cells[1].trim(), cells[2].trim(), age.equals("-") ? -1 : Long.parseLong(age),
                        Integer.parseInt(cells[4].trim()), Integer.parseInt(cells[5].trim())));
            }
        }
        assertTrue("the README's table lists the PDBs", out.size() >= 6);
        return out;
    }

    @Test
    public void identityAndCountsMatchTheCommittedGroundTruth() throws IOException {
        Path folder = folder();
        for (Truth t : truth(folder)) {
            if (t.guid().equals("-")) {
                continue; // the damaged file: PdbDamageTest
            }
            PdbFile pdb = PdbFile.read(folder.resolve(t.file()));
            assertEquals(t.file(), t.guid(), pdb.info().guidText());
            assertEquals(t.file(), t.age(), pdb.info().age());
            assertEquals(t.file() + " S_PUB32 records", t.publics(), pdb.publics().size());
            // the README counted the lines of llvm-pdbutil's type dump that mention LF_STRUCTURE or LF_CLASS:
            // the records, plus enumerators named after those leaves (a CodeView leaf enum in some PDBs)
            long records = pdb.types().records().stream().filter(r -> r instanceof TypeRecord.Aggregate a && a
                    .leaf() != TypeRecord.LF_UNION).count();
            long enumerators = 0;
            for (TypeRecord r : pdb.types().records()) {
                if (r instanceof TypeRecord.FieldList l) {
                    enumerators += l.enumerators().stream().filter(e -> e.name().contains("LF_STRUCTURE") || e
                            .name().contains("LF_CLASS")).count();
                }
            }
            assertEquals(t.file() + " structure and class lines", t.aggregateLines(), records + enumerators);
        }
    }

    @Test
    public void everyStructureFieldListAndPublicAgreesWithLlvmPdbutil() throws Exception {
        Path folder = folder();
        String tool = LlvmPdbDump.tool();
        assumeTrue("llvm-pdbutil is not on the PATH; skipping the comparison with its live output", tool != null);
        int compared = 0;
        for (Truth t : truth(folder)) {
            if (t.guid().equals("-")) {
                continue;
            }
            Path file = folder.resolve(t.file());
            PdbFile pdb = PdbFile.read(file);
            LlvmPdbDump llvm = LlvmPdbDump.run(tool, file);
            String f = t.file();
            assertEquals(f, llvm.guid, pdb.info().guidText());
            assertEquals(f, llvm.age, pdb.info().age());

            Map<Integer, LlvmPdbDump.Aggregate> mine = new HashMap<>();
            for (int ti = pdb.types().first(); ti < pdb.types().end(); ti++) {
                if (pdb.types().get(ti) instanceof TypeRecord.Aggregate a) {
                    mine.put(ti, new LlvmPdbDump.Aggregate(a.leaf() == TypeRecord.LF_CLASS ? "LF_CLASS" : a
                            .leaf() == TypeRecord.LF_UNION ? "LF_UNION" : "LF_STRUCTURE", a.name(), a.forward(), a
                                    .size(), a.fieldList()));
                }
            }
            assertEquals(f + ": structure, class and union records", llvm.aggregates, mine);
            for (var e : llvm.fieldLists.entrySet()) {
                TypeRecord r = pdb.types().get(e.getKey());
                assertTrue(f + " 0x" + Integer.toHexString(e.getKey()), r instanceof TypeRecord.FieldList);
                List<LlvmPdbDump.Member> members = ((TypeRecord.FieldList) r).members().stream().map(
                        m -> new LlvmPdbDump.Member(m.name(), m.offset())).toList();
                assertEquals(f + " field list 0x" + Integer.toHexString(e.getKey()), e.getValue(), members);
            }

            assertEquals(f + ": section addresses", llvm.sectionAddresses, pdb.sections().stream().map(
                    SectionHeader::virtualAddress).toList());
            Map<String, Long> expected = new HashMap<>();
            for (LlvmPdbDump.Public p : llvm.publics) {
                long va = p.segment() >= 1 && p.segment() <= llvm.sectionAddresses.size() ? llvm.sectionAddresses
                        .get(p.segment() - 1) + p.offset() : -1;
                expected.merge(p.name() + "@" + p.segment() + ":" + p.offset() + "=" + va, 1L, Long::sum);
            }
            Map<String, Long> actual = new HashMap<>();
            for (PublicSymbol p : pdb.publics()) {
                actual.merge(p.name() + "@" + p.segment() + ":" + p.offset() + "=" + p.rva(), 1L, Long::sum);
            }
            assertEquals(f + ": public symbols and RVAs", expected, actual);
            assertNotNull(f, llvm.guid);
            assertTrue(f + ": llvm-pdbutil listed the records", !llvm.aggregates.isEmpty() && !llvm.publics.isEmpty());
            compared++;
        }
        assertEquals("PDBs compared", 6, compared);
    }
}
