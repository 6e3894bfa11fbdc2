package org.vestige.core.tests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.Test;
import org.vestige.core.plugin.OptionSpec;
import org.vestige.core.plugin.OptionType;
import org.vestige.core.plugin.Options;
import org.vestige.core.plugin.PluginInfo;
import org.vestige.core.plugin.Requirement;

public class OptionsTest {

    private static final PluginInfo PLUGIN = new PluginInfo("windows.sample", "Sample", "Test", "Does things. More.",
            "windows", List.of(
                    new OptionSpec("pid", OptionType.INTEGER, "process ids", null, false, true, null),
                    new OptionSpec("address", OptionType.ADDRESS, "", null, false, false, null),
                    new OptionSpec("dump", OptionType.BOOLEAN, "", "false", false, false, null),
                    new OptionSpec("mode", OptionType.CHOICE, "", "fast", false, false, List.of("fast", "thorough")),
                    new OptionSpec("name", OptionType.STRING, "", null, true, false, null)),
            List.of(new Requirement("evidence", null)), "test.bundle");

    @Test
    public void valuesAreParsedByTypeWithDefaults() {
        Options o = Options.parse(PLUGIN, Map.of("pid", List.of("4", "0x264"), "address", List.of(
                "0xfffff8047c600000"), "name", List.of("lsass.exe")));
        assertEquals(List.of(4L, 0x264L), o.all("pid", Long.class));
        assertEquals(0xfffff8047c600000L, (long) o.number("address").get());
        assertFalse(o.flag("dump"));
        assertEquals("fast", o.string("mode").get());
        assertEquals("lsass.exe", o.string("name").get());
        assertEquals("Does things.", PLUGIN.summary());
        assertTrue(PLUGIN.requires(Requirement.EVIDENCE));
    }

    @Test
    public void badValuesAndMissingRequiredOptionsAreNamed() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Options.parse(PLUGIN, Map.of(
                "pid", List.of("four"), "name", List.of("x"))));
        assertTrue(e.getMessage(), e.getMessage().contains("--pid") && e.getMessage().contains("four"));
        e = assertThrows(IllegalArgumentException.class, () -> Options.parse(PLUGIN, Map.of()));
        assertTrue(e.getMessage(), e.getMessage().contains("--name"));
        e = assertThrows(IllegalArgumentException.class, () -> Options.parse(PLUGIN, Map.of("mode", List.of("slow"),
                "name", List.of("x"))));
        assertTrue(e.getMessage(), e.getMessage().contains("fast, thorough"));
        e = assertThrows(IllegalArgumentException.class, () -> Options.parse(PLUGIN, Map.of("address", List.of("1",
                "2"), "name", List.of("x"))));
        assertTrue(e.getMessage(), e.getMessage().contains("only once"));
        e = assertThrows(IllegalArgumentException.class, () -> Options.parse(PLUGIN, Map.of("bogus", List.of("1"))));
        assertTrue(e.getMessage(), e.getMessage().contains("--bogus"));
    }

    @Test
    public void optionNamesAndChoicesAreValidated() {
        assertThrows(IllegalArgumentException.class, () -> new OptionSpec("Bad_Name", OptionType.STRING, "", null,
                false, false, null));
        assertThrows(IllegalArgumentException.class, () -> new OptionSpec("mode", OptionType.CHOICE, "", null, false,
                false, List.of()));
    }
}
