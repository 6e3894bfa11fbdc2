package org.vestige.plugin.profiles;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.Manifest;

import javax.xml.parsers.DocumentBuilderFactory;

import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.vestige.core.types.IsfReader;
import org.vestige.core.types.Profile;
import org.vestige.testing.TestData;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

public class ProfileBundleWriterTest {

    @Rule
    public TemporaryFolder temp = new TemporaryFolder();

    static Document xml(Path file) throws Exception {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        return f.newDocumentBuilder().parse(file.toFile());
    }

    static IsfSources.Source source(String relative) throws IOException {
        Path file = TestData.requireReferenceProfile(relative);
        return new IsfSources.Source(relative, file, null);
    }

    @Test
    public void writesAnInstallableBundleWithTheProfilesIdentity() throws Exception {
        ProfileBundleWriter writer = new ProfileBundleWriter(new IsfTrimmer());
        ProfileBundleWriter.Imported full = writer.add(source(IsfTrimmerTest.FULL_19041), null);
        ProfileBundleWriter.Imported layout = writer.add(source("isf/win10_x64_19041.json.xz"), null);
        assertEquals("windows.x64.19041.CA8E2F01B822EDE6357898BFBF862997-1", full.id());
        assertEquals("windows.x64.19041.win10_x64_19041", layout.id());
        List<ProfileBundleWriter.WrittenBundle> bundles = writer.write(temp.getRoot().toPath());
        assertEquals(1, bundles.size());
        Path folder = bundles.get(0).folder();
        assertEquals("org.vestige.profile.windows.x64.19041", folder.getFileName().toString());

        Manifest mf;
        try (InputStream in = Files.newInputStream(folder.resolve("META-INF/MANIFEST.MF"))) {
            mf = new Manifest(in);
        }
        Attributes a = mf.getMainAttributes();
        assertEquals("org.vestige.profile.windows.x64.19041;singleton:=true", a.getValue("Bundle-SymbolicName"));
        assertEquals("0.1.0.qualifier", a.getValue("Bundle-Version"));
        assertEquals("2", a.getValue("Bundle-ManifestVersion"));

        Document plugin = xml(folder.resolve("plugin.xml"));
        Element extension = (Element) plugin.getElementsByTagName("extension").item(0);
        assertEquals("org.vestige.core.profiles", extension.getAttribute("point"));
        NodeList profiles = plugin.getElementsByTagName("profile");
        assertEquals(2, profiles.getLength());
        Element p0 = (Element) profiles.item(0);
        assertEquals(full.id(), p0.getAttribute("id"));
        assertEquals("windows", p0.getAttribute("os"));
        assertEquals("x64", p0.getAttribute("architecture"));
        assertEquals("19041", p0.getAttribute("build"));
        assertEquals("ntkrnlmp.pdb", p0.getAttribute("pdbName"));
        assertEquals("CA8E2F01B822EDE6357898BFBF862997", p0.getAttribute("pdbGuid"));
        assertEquals("1", p0.getAttribute("pdbAge"));
        assertEquals("profiles/CA8E2F01B822EDE6357898BFBF862997-1.json.xz", p0.getAttribute("file"));
        Element p1 = (Element) profiles.item(1);
        assertEquals("19041", p1.getAttribute("build"));
        assertTrue("types-only layouts have no PDB identity", p1.getAttribute("pdbGuid").isEmpty());

        for (int i = 0; i < profiles.getLength(); i++) {
            Element p = (Element) profiles.item(i);
            Path isf = folder.resolve(p.getAttribute("file"));
            Profile read = IsfReader.read(isf);
            assertEquals(19041, read.identity().build());
            assertEquals("x64", read.identity().architecture());
            assertTrue(Files.size(isf) < 200_000);
        }
        Profile read = IsfReader.read(folder.resolve(p0.getAttribute("file")));
        assertEquals("CA8E2F01B822EDE6357898BFBF862997", read.identity().guid());
        assertEquals(0x448, read.offset("_EPROCESS", "ActiveProcessLinks"));

        Document pom = xml(folder.resolve("pom.xml"));
        assertEquals("eclipse-plugin", pom.getElementsByTagName("packaging").item(0).getTextContent());
        assertEquals("../../../pom.xml", pom.getElementsByTagName("relativePath").item(0).getTextContent());
        assertEquals("org.vestige.parent", ((Element) pom.getElementsByTagName("parent").item(0))
                .getElementsByTagName("artifactId").item(0).getTextContent());
        String build = Files.readString(folder.resolve("build.properties"), StandardCharsets.UTF_8);
        assertTrue(build, build.contains("profiles/") && build.contains("plugin.xml") && build.contains("META-INF/"));
    }

    @Test
    public void buildOfAPdbMadeKernelComesFromTheKnownKernels() throws Exception {
        ProfileBundleWriter writer = new ProfileBundleWriter(new IsfTrimmer());
        ProfileBundleWriter.Imported i = writer.add(source(
                "isf-full/windows/ntkrnlmp.pdb/339E74133576439CBCDF7E0229DA3773-1.json.xz"), null);
        assertEquals(7601, i.build());
        assertEquals(6, i.identity().major());
        assertEquals(1, i.identity().minor());
        assertEquals("org.vestige.profile.windows.x64.7601", i.bundle());
    }

    @Test
    public void buildComesFromNtBuildLabWhenTheFileHasIt() throws Exception {
        ProfileBundleWriter writer = new ProfileBundleWriter(new IsfTrimmer());
        ProfileBundleWriter.Imported i = writer.add("lab.json", "lab", Synthetic.isf(Synthetic.UNKNOWN_GUID,
                "22621.1.amd64fre.ni_release.220506-1250", false), null);
        assertEquals(22621, i.build());
        assertEquals("windows.x64.22621." + Synthetic.UNKNOWN_GUID + "-1", i.id());
        assertEquals(List.of("NtBuildLab", "PsActiveProcessHead"), List.copyOf(new java.util.TreeSet<>(IsfReader
                .read(new java.io.ByteArrayInputStream(i.data()), "x").symbols().keySet())));
    }

    @Test
    public void aKernelOfUnknownBuildIsRefused() {
        ProfileBundleWriter writer = new ProfileBundleWriter(new IsfTrimmer());
        try {
            writer.add("unknown.json.xz", "unknown", Synthetic.isf(Synthetic.UNKNOWN_GUID, null, false), null);
            fail();
        } catch (IOException e) {
            assertTrue(e.getMessage(), e.getMessage().startsWith("unknown.json.xz: cannot tell the Windows build"));
        }
    }

    @Test
    public void theSameProfileTwiceIsRefused() throws Exception {
        ProfileBundleWriter writer = new ProfileBundleWriter(null);
        byte[] isf = Synthetic.isf(null, null, true);
        ProfileBundleWriter.Imported first = writer.add("a.json", "layout", isf, null);
        assertEquals(4, first.types());
        try {
            writer.add("b.json", "layout", isf, null);
            fail();
        } catch (IOException e) {
            assertEquals("b.json: profile windows.x64.22621.layout was already imported from a.json", e.getMessage());
        }
    }

    @Test
    public void aMalformedIsfFileIsNamedInTheError() throws Exception {
        Path bad = temp.newFile("broken.json").toPath();
        byte[] good = Synthetic.isf(null, null, true);
        Files.write(bad, java.util.Arrays.copyOf(good, good.length / 2));
        ProfileBundleWriter writer = new ProfileBundleWriter(new IsfTrimmer());
        try {
            writer.add(IsfSources.find(List.of(bad)).get(0), null);
            fail();
        } catch (IOException e) {
            assertTrue(e.getMessage(), e.getMessage().startsWith(bad + ": not valid JSON"));
        }
        Path notIsf = temp.newFile("other.json").toPath();
        Files.writeString(notIsf, "{\"hello\": 1}");
        try {
            writer.add(IsfSources.find(List.of(notIsf)).get(0), null);
            fail();
        } catch (IOException e) {
            assertEquals(notIsf + ": not an ISF file (no 'metadata')", e.getMessage());
        }
        assertTrue(writer.imported().isEmpty());
    }

    @Test
    public void noticesTravelWithTheBundle() throws Exception {
        ProfileBundleWriter writer = new ProfileBundleWriter(new IsfTrimmer());
        writer.add("x.json", "x", Synthetic.isf(null, null, true), new ProfileBundleWriter.Notice("LICENSE-x.txt",
                "terms"));
        Path folder = writer.write(temp.getRoot().toPath()).get(0).folder();
        assertEquals("terms", Files.readString(folder.resolve("about_files/LICENSE-x.txt")));
        assertTrue(Files.readString(folder.resolve("build.properties")).contains("about_files/"));
        assertNull(writer.imported().iterator().next().identity().guid());
    }
}
