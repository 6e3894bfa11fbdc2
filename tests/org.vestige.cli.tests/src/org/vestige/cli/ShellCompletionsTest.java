package org.vestige.cli;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.util.List;

import org.junit.Test;
import org.vestige.core.registry.Extensions;

/** What the shell offers to complete a word with. */
public class ShellCompletionsTest {

    private final Shell.Completions completions = new Shell.Completions(Extensions.fromPlatform());

    @Test
    public void theFirstWordIsAPluginOrAShellCommand() {
        assertTrue(completions.complete(List.of(), "windows.ps").containsAll(List.of("windows.pslist",
                "windows.psscan")));
        assertEquals(List.of("quit"), completions.complete(List.of(), "qu"));
        assertTrue(completions.complete(List.of(), "").contains("renderer"));
    }

    @Test
    public void laterWordsAreTheCurrentPluginsOptionsOrTheNextPlugin() {
        assertEquals(List.of("--pid"), completions.complete(List.of("windows.pslist"), "--pi"));
        assertFalse(completions.complete(List.of("windows.pslist"), "qu").contains("quit"));
        assertTrue(completions.complete(List.of("windows.pslist", "--pid", "4"), "windows.dll").contains(
                "windows.dlllist"));
        assertTrue(completions.complete(List.of("windows.pslist", "windows.handles"), "--").contains("--pid"));
    }
}
