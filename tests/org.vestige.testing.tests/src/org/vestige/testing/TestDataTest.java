package org.vestige.testing;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertSame;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.After;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.internal.AssumptionViolatedException;
import org.junit.rules.TemporaryFolder;
import org.vestige.core.types.IsfReader;
import org.vestige.core.types.Profile;
import org.vestige.synth.ImageSynthesizer;
import org.vestige.synth.SynthOptions;

/**
 * Test support behaves as the suite relies on: a kernel profile absent from the reference folder comes
 * from the installed profile bundle that ships the same file, a reference profile never does, a test that
 * needs absent data is skipped naming the file, and one synthesized image serves every test that asks.
 */
public class TestDataTest {

    private static final String WIN10 = "isf-full/windows/ntkrnlmp.pdb/CA8E2F01B822EDE6357898BFBF862997-1.json.xz";

    @Rule
    public TemporaryFolder temp = new TemporaryFolder();

    private String profiles;
    private String testdata;

    @Before
    public void pointAtEmptyFolders() throws Exception {
        profiles = System.getProperty(TestData.PROFILES_PROPERTY);
        testdata = System.getProperty(TestData.PROPERTY);
        System.setProperty(TestData.PROFILES_PROPERTY, temp.newFolder("profiles").toString());
        System.setProperty(TestData.PROPERTY, temp.newFolder("testdata").toString());
    }

    @After
    public void restore() {
        restore(TestData.PROFILES_PROPERTY, profiles);
        restore(TestData.PROPERTY, testdata);
    }

    private static void restore(String key, String value) {
        if (value == null) {
            System.clearProperty(key);
        } else {
            System.setProperty(key, value);
        }
    }

    @Test
    public void aKernelProfileComesFromItsInstalledBundleWhenTheReferenceIsAbsent() throws Exception {
        Path file = TestData.requireProfile(WIN10);
        assertTrue(file.toString(), Files.isRegularFile(file));
        assertEquals("CA8E2F01B822EDE6357898BFBF862997-1.json.xz", file.getFileName().toString());
        Profile p = IsfReader.read(file);
        assertEquals(19041, p.identity().build());
        assertSame("copied out once", file, TestData.requireProfile(WIN10));
    }

    @Test
    public void aReferenceProfileIsNeverSubstituted() {
        try {
            TestData.requireReferenceProfile(WIN10);
            fail("a reference profile came from elsewhere");
        } catch (AssumptionViolatedException e) {
            assertTrue(e.getMessage(), e.getMessage().contains("CA8E2F01B822EDE6357898BFBF862997-1.json.xz"));
        }
    }

    @Test
    public void aProfileNoBundleShipsSkipsNamingIt() {
        try {
            TestData.requireProfile("isf-full/windows/ntkrnlmp.pdb/00000000000000000000000000000000-1.json.xz");
            fail("an unknown profile was found");
        } catch (AssumptionViolatedException e) {
            assertTrue(e.getMessage(), e.getMessage().contains("00000000000000000000000000000000-1.json.xz"));
            assertTrue(e.getMessage(), e.getMessage().contains("installed profile bundle"));
        }
    }

    @Test
    public void absentTestDataSkipsNamingTheFile() {
        try {
            TestData.require("minidump/nothing-here.dmp");
            fail("absent test data was found");
        } catch (AssumptionViolatedException e) {
            assertTrue(e.getMessage(), e.getMessage().contains("nothing-here.dmp"));
        }
    }

    @Test
    public void optionalTestDataIsFoundOnlyWhenPresent() throws Exception {
        assertTrue(TestData.find("minidump/nothing-here.dmp").isEmpty());
        Path here = Files.createDirectories(Path.of(System.getProperty(TestData.PROPERTY), "minidump"))
                .resolve("here.dmp");
        Files.write(here, new byte[] {'M', 'D', 'M', 'P'});
        assertEquals(here, TestData.find("minidump/here.dmp").orElseThrow());
    }

    @Test
    public void oneSynthesizedImageServesEveryTestThatAsks() throws Exception {
        SynthOptions options = SynthOptions.builder().seed(5).windowsBuild(19041).sizeMib(128).build();
        ImageSynthesizer.Output a = SynthesizedImages.installed("windows.x64.19041.CA8E2F01B822EDE6357898BFBF862997-1",
                options);
        ImageSynthesizer.Output b = SynthesizedImages.installed("windows.x64.19041.CA8E2F01B822EDE6357898BFBF862997-1",
                SynthOptions.builder().seed(5).windowsBuild(19041).sizeMib(128).build());
        assertSame(a, b);
        assertEquals(128L << 20, Files.size(a.image()));
    }
}
