package org.vestige.synth;

import static org.junit.Assert.assertEquals;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import org.junit.ClassRule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.vestige.core.registry.Extensions;
import org.vestige.core.types.Profile;

/** {@link SynthOptions#extraProcess()} adds exactly one process, a child of explorer.exe, and nothing else. */
public class ExtraProcessTest {

    @ClassRule
    public static TemporaryFolder tmp = new TemporaryFolder();

    private static List<SynthTruth.Process> processes(Profile profile, SynthOptions options) throws IOException {
        return new ImageSynthesizer(profile, options).synthesize(tmp.newFolder().toPath()).truth().processes();
    }

    private static List<String> names(List<SynthTruth.Process> processes) {
        return processes.stream().map(SynthTruth.Process::name).sorted().toList();
    }

    @Test
    public void theExtraProcessIsExplorersChildAndTheOnlyDifference() throws IOException {
        Profile profile = Extensions.fromPlatform().profiles().stream().filter(p -> p.id().startsWith(
                "windows.x64.19041.")).findFirst().orElseThrow(() -> new AssertionError("no 19041 profile")).load();
        SynthOptions plain = SynthOptions.builder().seed(5).windowsBuild(19041).sizeMib(128).build();
        List<SynthTruth.Process> without = processes(profile, plain);
        List<SynthTruth.Process> with = processes(profile, plain.toBuilder().extraProcess("odd.exe").build());

        List<SynthTruth.Process> odd = with.stream().filter(p -> p.name().equals("odd.exe")).toList();
        assertEquals(1, odd.size());
        long explorer = with.stream().filter(p -> p.name().equals("explorer.exe")).findFirst().orElseThrow().pid();
        assertEquals(explorer, odd.get(0).ppid());
        assertEquals("C:\\Users\\alice\\AppData\\Local\\Temp\\odd.exe", odd.get(0).imagePath());
        List<String> expected = new ArrayList<>(names(without));
        expected.add("odd.exe");
        assertEquals(expected.stream().sorted().toList(), names(with));
    }
}
