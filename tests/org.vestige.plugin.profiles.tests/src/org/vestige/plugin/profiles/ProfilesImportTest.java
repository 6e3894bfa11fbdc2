package org.vestige.plugin.profiles;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import javax.xml.parsers.DocumentBuilderFactory;

import org.eclipse.core.runtime.NullProgressMonitor;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.vestige.core.plugin.AnalysisException;
import org.vestige.core.plugin.OptionSpec;
import org.vestige.core.plugin.OptionType;
import org.vestige.core.plugin.AnalysisSession;
import org.vestige.core.plugin.Options;
import org.vestige.core.plugin.SessionSettings;
import org.vestige.core.registry.Extensions;
import org.vestige.core.plugin.PluginInfo;
import org.vestige.core.result.AnalysisResult;
import org.vestige.core.result.Diagnostic;
import org.vestige.core.result.Row;
import org.vestige.core.types.IsfReader;
import org.vestige.core.types.Profile;
import org.vestige.plugin.profiles.pdb.LlvmPdbDump;
import org.vestige.plugin.profiles.pdb.PdbFile;
import org.vestige.plugin.profiles.pdb.PdbFileTest;
import org.vestige.plugin.profiles.pdb.PdbIsfTest;
import org.vestige.plugin.profiles.pdb.PublicSymbol;
import org.vestige.testing.TestData;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

public class ProfilesImportTest {

    @Rule
    public TemporaryFolder temp = new TemporaryFolder();

    /** The declaration of profiles.import, read from the bundle's plugin.xml as the registry would. */
    static PluginInfo declaration() throws Exception {
        Document doc;
        try (InputStream in = pluginXml()) {
            DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
            f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            doc = f.newDocumentBuilder().parse(in);
        }
        Element plugin = (Element) doc.getElementsByTagName("plugin").item(1);
        assertEquals("profiles.import", plugin.getAttribute("id"));
        assertEquals(ProfilesImport.class.getName(), plugin.getAttribute("class"));
        List<OptionSpec> options = new ArrayList<>();
        NodeList os = plugin.getElementsByTagName("option");
        for (int i = 0; i < os.getLength(); i++) {
            Element o = (Element) os.item(i);
            options.add(new OptionSpec(o.getAttribute("name"), OptionType.valueOf(o.getAttribute("type").toUpperCase(
                    java.util.Locale.ROOT)), o.getAttribute("description"), o.hasAttribute("default") ? o.getAttribute(
                            "default") : null, Boolean.parseBoolean(o.getAttribute("required")), Boolean.parseBoolean(o
                                    .getAttribute("multiple")), List.of()));
        }
        assertEquals(0, plugin.getElementsByTagName("requires").getLength());
        return new PluginInfo(plugin.getAttribute("id"), plugin.getAttribute("name"), plugin.getAttribute("category"),
                plugin.getElementsByTagName("description").item(0).getTextContent(), "any", options, List.of(),
                "org.vestige.plugin.profiles");
    }

    private static InputStream pluginXml() throws IOException {
        // required bundles may have a plugin.xml of their own: take the one declaring this analysis
        for (URL url : java.util.Collections.list(ProfilesImport.class.getClassLoader().getResources("plugin.xml"))) {
            try (InputStream in = url.openStream()) {
                byte[] text = in.readNBytes(1 << 20);
                if (new String(text, java.nio.charset.StandardCharsets.UTF_8).contains("\"profiles.import\"")) {
                    return new java.io.ByteArrayInputStream(text);
                }
            }
        }
        for (Path dir = Paths.get("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path p = dir.resolve("bundles/plugins/org.vestige.plugin.profiles/plugin.xml");
            if (Files.exists(p)) {
                return Files.newInputStream(p);
            }
        }
        throw new IOException("plugin.xml of org.vestige.plugin.profiles not found");
    }

    AnalysisResult run(Map<String, List<String>> given) throws Exception {
        PluginInfo info = declaration();
        Options options = Options.parse(info, given);
        Path out = temp.newFolder("out").toPath();
        try (AnalysisSession session = new AnalysisSession(null, Extensions.fromPlatform(), SessionSettings.writingTo(
                out))) {
            return session.run(info, new ProfilesImport(), options, new NullProgressMonitor());
        }
    }

    @Test
    public void importsAVolatilitySymbolPackZip() throws Exception {
        Path isf = TestData.requireProfile(IsfTrimmerTest.FULL_19041);
        Path zip = temp.getRoot().toPath().resolve("windows.zip");
        try (OutputStream o = Files.newOutputStream(zip); ZipOutputStream z = new ZipOutputStream(o)) {
            z.putNextEntry(new ZipEntry("windows/"));
            z.closeEntry();
            z.putNextEntry(new ZipEntry("windows/ntkrnlmp.pdb/CA8E2F01B822EDE6357898BFBF862997-1.json.xz"));
            Files.copy(isf, z);
            z.closeEntry();
            z.putNextEntry(new ZipEntry("windows/README.txt"));
            z.write("not a symbol table".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            z.closeEntry();
        }
        Path output = temp.getRoot().toPath().resolve("bundles");
        Map<String, List<String>> given = new LinkedHashMap<>();
        given.put("isf", List.of(zip.toString()));
        given.put("output", List.of(output.toString()));
        AnalysisResult r = run(given);

        assertEquals(1, r.table().rows().size());
        Row row = r.table().rows().get(0);
        assertEquals(zip + "!windows/ntkrnlmp.pdb/CA8E2F01B822EDE6357898BFBF862997-1.json.xz", row.get(
                ProfilesImport.SOURCE));
        assertEquals("windows.x64.19041.CA8E2F01B822EDE6357898BFBF862997-1", row.get(ProfilesImport.PROFILE));
        assertEquals("ntkrnlmp.pdb/CA8E2F01B822EDE6357898BFBF862997-1", row.get(ProfilesImport.PDB));
        assertEquals(Long.valueOf(19041), row.get(ProfilesImport.BUILD));
        assertTrue(row.get(ProfilesImport.SYMBOLS) >= 30);
        Path written = output.resolve("org.vestige.profile.windows.x64.19041/profiles/"
                + "CA8E2F01B822EDE6357898BFBF862997-1.json.xz");
        assertEquals(Files.size(written), (long) row.get(ProfilesImport.SIZE));
        assertEquals(1, r.files().size());
        assertEquals(written, r.files().get(0).path());
        assertEquals(64, r.files().get(0).sha256().length());
        Profile p = IsfReader.read(written);
        assertEquals(row.get(ProfilesImport.TYPES).intValue(), p.structs().size());
        assertTrue(Files.exists(output.resolve("org.vestige.profile.windows.x64.19041/plugin.xml")));
        assertTrue(r.diagnostics().stream().noneMatch(d -> d.severity() == Diagnostic.Severity.ERROR));
    }

    @Test
    public void untrimmedImportKeepsEveryTypeAndBadFilesBecomeErrors() throws Exception {
        Path partial = TestData.requireProfile(IsfTrimmerTest.PARTIAL_26100);
        Path bad = temp.newFile("truncated.json.xz").toPath();
        byte[] xz = Files.readAllBytes(partial);
        Files.write(bad, java.util.Arrays.copyOf(xz, xz.length / 3));
        Map<String, List<String>> given = new LinkedHashMap<>();
        given.put("isf", List.of(partial.toString(), bad.toString()));
        given.put("trim", List.of("false"));
        AnalysisResult r = run(given);
        assertEquals(1, r.table().rows().size());
        Row row = r.table().rows().get(0);
        assertEquals("windows.x64.26100.win11_x64_26100_partial", row.get(ProfilesImport.PROFILE));
        assertEquals(Long.valueOf(IsfReader.read(partial).structs().size()), row.get(ProfilesImport.TYPES));
        Diagnostic error = r.diagnostics().stream().filter(d -> d.severity() == Diagnostic.Severity.ERROR)
                .findFirst().orElseThrow();
        assertEquals(bad.toString(), error.subject());
        assertTrue(error.message(), error.message().startsWith("not imported: " + bad));
    }

    @Test
    public void nothingImportableFailsTheAnalysisNamingThePath() throws Exception {
        Path empty = temp.newFolder("empty").toPath();
        Map<String, List<String>> given = new LinkedHashMap<>();
        given.put("isf", List.of(empty.toString()));
        try {
            run(given);
            fail();
        } catch (AnalysisException e) {
            assertEquals(empty + ": holds no ISF file (.json, .json.xz, .json.gz)", e.getMessage());
        }
    }

    @Test
    public void pdbFilesBecomeBundlesWhoseProfilesHaveLlvmPdbutilsLayouts() throws Exception {
        Path folder = PdbFileTest.folder();
        Path output = temp.getRoot().toPath().resolve("from-pdb");
        Map<String, List<String>> given = new LinkedHashMap<>();
        given.put("pdb", List.of(folder.resolve("xcpt4_x64.pdb").toString(), folder.resolve("minimal.pdb").toString(),
                folder.resolve("fuzzed.pdb").toString()));
        given.put("build", List.of("19041"));
        given.put("trim", List.of("false"));
        given.put("output", List.of(output.toString()));
        AnalysisResult r = run(given);

        assertEquals(2, r.table().rows().size());
        Diagnostic error = r.diagnostics().stream().filter(d -> d.severity() == Diagnostic.Severity.ERROR)
                .findFirst().orElseThrow();
        assertEquals(folder.resolve("fuzzed.pdb").toString(), error.subject());
        assertTrue(error.message(), error.message().contains("the block map is block 1357, outside the file's 339"));
        String tool = LlvmPdbDump.tool();
        for (String[] c : new String[][] {{"xcpt4_x64.pdb", "x64", "C8C2329E0E9949E68B6F132BECA69E7E-1"}, {
            "minimal.pdb", "x86", "9AC8F93CE9BE44B590AADF2DFABEA7A3-1"}}) {
            Row row = r.table().rows().stream().filter(x -> x.get(ProfilesImport.SOURCE).endsWith(c[0])).findFirst()
                    .orElseThrow();
            assertEquals("windows." + c[1] + ".19041." + c[2], row.get(ProfilesImport.PROFILE));
            assertEquals(c[0] + "/" + c[2], row.get(ProfilesImport.PDB));
            Path written = output.resolve("org.vestige.profile.windows." + c[1] + ".19041/profiles/" + c[2] + ".json.xz");
            Profile p = IsfReader.read(written);
            assertEquals(19041, p.identity().build());
            Path pdbFile = folder.resolve(c[0]);
            PdbIsfTest.assertLayouts(c[0], tool != null ? LlvmPdbDump.run(tool, pdbFile).namedLayouts() : PdbIsfTest
                    .layoutsFromReader(PdbFile.read(pdbFile)), p);
            PdbFile pdb = PdbFile.read(pdbFile);
            for (PublicSymbol s : pdb.publics()) {
                if (s.hasRva()) {
                    assertTrue(s.name(), p.symbols().containsKey(s.name()));
                }
            }
        }
    }

    @Test
    public void pdbFoldersAreSearchedAndAFolderWithoutOneIsNamed() throws Exception {
        Path store = temp.newFolder("symbols").toPath();
        Path b = Files.createDirectories(store.resolve("ntkrnlmp.pdb/B1-1")).resolve("ntkrnlmp.pdb");
        Path a = Files.createDirectories(store.resolve("ntkrnlmp.pdb/A1-1")).resolve("ntkrnlmp.pdb");
        Files.write(a, new byte[1]);
        Files.write(b, new byte[1]);
        Files.write(store.resolve("readme.txt"), new byte[1]);
        assertEquals(List.of(a, b), PdbSources.find(List.of(store)));
        assertEquals("ntkrnlmp", PdbSources.stem(a));
        Path empty = temp.newFolder("no-pdb").toPath();
        Map<String, List<String>> given = new LinkedHashMap<>();
        given.put("pdb", List.of(empty.toString()));
        try {
            run(given);
            fail();
        } catch (AnalysisException e) {
            assertEquals(empty + ": holds no PDB file (.pdb)", e.getMessage());
        }
    }
}
