package org.vestige.fleet;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;

import java.util.List;

import org.junit.Test;

public class ManifestTest {

    @Test
    public void csvAndJsonLinesGiveTheSameCases() {
        List<FleetCase> csv = Manifest.parse(List.of("# fleet", "case_id,image,pagefile,swapfile",
                "pc-1,hdfs:///ir/pc-1.raw,hdfs:///ir/pc-1.pagefile.sys,", "\"pc,2\",/ir/pc-2.raw,,/ir/swapfile.sys", ""));
        List<FleetCase> json = Manifest.parse(List.of(
                "{\"case_id\": \"pc-1\", \"image\": \"hdfs:///ir/pc-1.raw\", \"pagefile\": \"hdfs:///ir/pc-1.pagefile.sys\"}",
                "{\"case_id\": \"pc,2\", \"image\": \"/ir/pc-2.raw\", \"swapfile\": \"/ir/swapfile.sys\"}"));
        List<FleetCase> expected = List.of(new FleetCase(0, "pc-1", "hdfs:///ir/pc-1.raw", List.of(
                "hdfs:///ir/pc-1.pagefile.sys")), new FleetCase(1, "pc,2", "/ir/pc-2.raw", List.of("/ir/swapfile.sys")));
        assertEquals(expected, csv);
        assertEquals(expected, json);
    }

    @Test
    public void aRepeatedCaseIdOrAMissingImageIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> Manifest.parse(List.of("case_id,image", "a,/x", "a,/y")));
        assertThrows(IllegalArgumentException.class, () -> Manifest.parse(List.of("case_id,image", "a,")));
        assertThrows(IllegalArgumentException.class, () -> Manifest.parse(List.of("id,path", "a,/x")));
    }
}
