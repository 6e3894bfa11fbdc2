package org.vestige.plugin.evidence;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.eclipse.core.runtime.NullProgressMonitor;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.vestige.core.evidence.EvidenceCase;
import org.vestige.core.evidence.PagefileSpec;
import org.vestige.core.plugin.AnalysisSession;
import org.vestige.core.plugin.Options;
import org.vestige.core.plugin.SessionSettings;
import org.vestige.core.registry.Extensions;
import org.vestige.core.registry.PluginDescriptor;
import org.vestige.core.result.AnalysisResult;
import org.vestige.core.result.Row;

/**
 * evidence.info as a typed result: the image and each paging file with size and digests (checked
 * against the JDK's own digests of the bytes written), what every format's probe said, and nothing
 * hashed when the case was opened without hashing.
 */
public class EvidenceInfoTest {

    @Rule
    public TemporaryFolder temp = new TemporaryFolder();

    private static final Extensions EXTENSIONS = Extensions.fromPlatform();

    private AnalysisResult run(Path image, List<PagefileSpec> pagefiles, boolean hash, Map<String, List<String>> given)
            throws Exception {
        PluginDescriptor d = EXTENSIONS.plugin("evidence.info").orElseThrow();
        EvidenceCase c = EvidenceCase.open(image, pagefiles, EXTENSIONS.formats(), hash, new NullProgressMonitor());
        try (AnalysisSession session = new AnalysisSession(c, EXTENSIONS, SessionSettings.writingTo(temp.getRoot()
                .toPath()))) {
            return session.run(d.info(), d.create(), Options.parse(d.info(), given), new NullProgressMonitor());
        }
    }

    private Path file(String name, int size, long seed) throws Exception {
        byte[] data = new byte[size];
        new Random(seed).nextBytes(data);
        Path p = temp.getRoot().toPath().resolve(name);
        Files.write(p, data);
        return p;
    }

    private static String digest(String algorithm, Path file) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance(algorithm).digest(Files.readAllBytes(file)));
    }

    @Test
    public void theImageAndItsPagingFileAreListedWithTheirDigests() throws Exception {
        Path image = file("memory.raw", 1 << 20, 1);
        Path pagefile = file("pagefile.sys", 64 << 10, 2);
        AnalysisResult r = run(image, List.of(new PagefileSpec(0, pagefile)), true, Map.of());
        List<Row> rows = r.table().rows();
        assertEquals(2, rows.size());
        Row img = rows.get(0);
        assertEquals("image", img.cell(EvidenceInfo.ROLE));
        assertEquals("raw", img.cell(EvidenceInfo.FORMAT));
        assertEquals((long) (1 << 20), img.cell(EvidenceInfo.SIZE));
        assertEquals(digest("MD5", image), img.cell(EvidenceInfo.MD5));
        assertEquals(digest("SHA-1", image), img.cell(EvidenceInfo.SHA1));
        assertEquals(digest("SHA-256", image), img.cell(EvidenceInfo.SHA256));
        assertTrue("every format's probe answers: " + img.children().size(), img.children().stream().anyMatch(
                p -> "probe".equals(p.cell(EvidenceInfo.ROLE)) && "raw".equals(p.cell(EvidenceInfo.FORMAT))));
        Row pf = rows.get(1);
        assertEquals("pagefile", pf.cell(EvidenceInfo.ROLE));
        assertEquals((long) (64 << 10), pf.cell(EvidenceInfo.SIZE));
        assertEquals(digest("SHA-256", pagefile), pf.cell(EvidenceInfo.SHA256));
    }

    @Test
    public void withoutHashingTheDigestsAreMissingAndSaySo() throws Exception {
        Path image = file("memory.raw", 8192, 3);
        AnalysisResult r = run(image, List.of(), false, Map.of("probes", List.of("false")));
        Row img = r.table().rows().get(0);
        assertTrue(String.valueOf(img.cell(EvidenceInfo.MD5)), String.valueOf(img.cell(EvidenceInfo.MD5)).contains(
                "not hashed"));
        assertTrue("no probe rows when --probes false", img.children().stream().noneMatch(p -> "probe".equals(p.cell(
                EvidenceInfo.ROLE))));
    }
}
