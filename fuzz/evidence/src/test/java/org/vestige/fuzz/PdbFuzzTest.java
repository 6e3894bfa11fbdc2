package org.vestige.fuzz;

import org.vestige.plugin.profiles.PdbIsf;
import org.vestige.plugin.profiles.pdb.PdbException;
import org.vestige.plugin.profiles.pdb.PdbFile;
import org.vestige.plugin.profiles.pdb.TypeRecord;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Fuzzes the PDB reader ({@code org.vestige.plugin.profiles.pdb}): the MSF 7.0 container, the PDB
 * information stream, TPI type records, the DBI stream's section headers and the S_PUB32 publics, and
 * the conversion to ISF. A damaged file is a {@link PdbException} naming the file; a file that reads
 * must convert to ISF or be refused the same way (dangling or cyclic type references).
 */
class PdbFuzzTest {

    @FuzzTest(maxDuration = "2m")
    void read(byte[] data) {
        PdbFile pdb;
        try {
            pdb = PdbFile.read(data, "fuzz.pdb");
        } catch (PdbException e) {
            return;
        }
        pdb.info().guidText();
        Records.touch(pdb.sections());
        Records.touch(pdb.publics());
        int n = 0;
        for (int ti = pdb.types().first(); ti < pdb.types().end() && n < Records.LIMIT; ti++, n++) {
            if (pdb.types().get(ti) instanceof TypeRecord.Aggregate a && !a.forward() && a.fieldList() != 0) {
                try {
                    pdb.types().members(a.fieldList());
                    pdb.types().sizeOf(ti);
                } catch (PdbException e) {
                    // a field list that is not one, or a continuation loop: said, not thrown wrongly
                }
            }
        }
        try {
            PdbIsf.convert(pdb, "fuzz.pdb");
        } catch (PdbException e) {
            // a type referring to one that is not there, or a cyclic chain
        }
    }
}
