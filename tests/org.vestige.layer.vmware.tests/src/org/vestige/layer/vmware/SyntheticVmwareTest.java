package org.vestige.layer.vmware;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.junit.BeforeClass;
import org.junit.ClassRule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.vestige.cli.Cli;
import org.vestige.core.evidence.OpenedEvidence;
import org.vestige.core.layer.FileLayer;
import org.vestige.core.layer.Layer;
import org.vestige.core.registry.Extensions;
import org.vestige.core.types.IsfReader;
import org.vestige.core.types.Profile;
import org.vestige.synth.ImageSynthesizer;
import org.vestige.synth.SynthOptions;
import org.vestige.synth.SynthTruth;
import org.vestige.testing.JsonLines;
import org.vestige.testing.SynthesizedImages;
import org.vestige.testing.TestData;
import org.vestige.windows.KernelDiscovery;
import org.vestige.windows.KernelLocator;
import org.vestige.windows.LocatorHints;
import org.vestige.windows.ProcessWalker;
import org.vestige.windows.WinProcess;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A synthesized Windows 10 image split as VMware writes a guest with a PCI hole (a .vmem holding the
 * regions back to back, and the .vmss mapping them) gives the raw image's process list, which equals
 * the synthesizer's truth, whichever file is named and when the memory is inside a .vmsn.
 */
public class SyntheticVmwareTest {

    private static final int PAGE = 4096;

    @ClassRule
    public static TemporaryFolder tmp = new TemporaryFolder();

    private static Profile profile;
    private static ImageSynthesizer.Output out;
    private static long holeStart;
    private static long holeEnd;
    private static Path vmem;
    private static Path vmss;
    private static Path vmsn;

    @BeforeClass
    public static void split() throws Exception {
        profile = IsfReader.read(TestData.requireProfile(
                "isf-full/windows/ntkrnlmp.pdb/CA8E2F01B822EDE6357898BFBF862997-1.json.xz"));
        out = SynthesizedImages.get(profile, SynthOptions.builder().seed(8).windowsBuild(19041).svchostCount(4)
                .sizeMib(256).build());
        long[] hole = longestInteriorZeroRun(out.image());
        holeStart = hole[0];
        holeEnd = hole[1];
        assertTrue("a hole of " + (holeEnd - holeStart) + " pages", holeEnd - holeStart >= 64);
        long pages;
        Path dir = tmp.newFolder("vm").toPath();
        vmem = dir.resolve("Windows 10 x64.vmem");
        try (FileChannel in = FileChannel.open(out.image(), StandardOpenOption.READ);
                FileChannel o = FileChannel.open(vmem, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            pages = in.size() / PAGE;
            copy(in, 0, holeStart * PAGE, o);
            copy(in, holeEnd * PAGE, (pages - holeEnd) * PAGE, o);
        }
        long[][] regions = {{0, 0, holeStart}, {holeEnd, holeStart, pages - holeEnd}};
        vmss = state(regions, false).writeTo(dir.resolve("Windows 10 x64.vmss"));
        Path other = tmp.newFolder("snapshot").toPath();
        vmsn = state(regions, true).writeTo(other.resolve("Windows 10 x64-Snapshot2.vmsn"));
    }

    /** The state a suspend writes: one vCPU whose CR3 is the kernel's, and the region map (and the memory). */
    private static CheckpointBuilder state(long[][] regions, boolean withMemory) throws IOException {
        CheckpointBuilder b = new CheckpointBuilder();
        b.group("Checkpoint").u32("memSize", 256);
        b.group("cpu").u32("cpu:numVCPUs", 1).u64("CR64", 0x80050033L, 0, 0).u64("CR64", out.truth().dtb(), 0, 3);
        CheckpointBuilder.Group memory = b.group("memory").u32("align_mask", 0xffff);
        CheckpointBuilder.regions(memory, regions);
        if (withMemory) {
            memory.block("Memory", vmem, 0xf00, 0, 0);
        }
        b.group("SVGA").block("fb", new byte[4096], 0, 0);
        return b;
    }

    private static void copy(FileChannel in, long from, long length, FileChannel o) throws IOException {
        long done = 0;
        while (done < length) {
            done += in.transferTo(from + done, length - done, o);
        }
    }

    /** @return [first, end) page of the longest run of all-zero pages that has a non-zero page after it */
    private static long[] longestInteriorZeroRun(Path image) throws IOException {
        long best = 0;
        long bestStart = 0;
        long runStart = -1;
        try (FileChannel ch = FileChannel.open(image, StandardOpenOption.READ)) {
            long pages = ch.size() / PAGE;
            ByteBuffer buf = ByteBuffer.allocate(1 << 20);
            long page = 0;
            long[] result = {0, 0};
            while (page < pages) {
                buf.clear();
                ch.read(buf, page * PAGE);
                buf.flip();
                for (int off = 0; off + PAGE <= buf.limit(); off += PAGE, page++) {
                    boolean zero = true;
                    for (int i = off; i < off + PAGE; i += 8) {
                        if (buf.getLong(i) != 0) {
                            zero = false;
                            break;
                        }
                    }
                    if (zero && runStart < 0) {
                        runStart = page;
                    } else if (!zero && runStart >= 0) {
                        if (page - runStart > best) {
                            best = page - runStart;
                            bestStart = runStart;
                            result = new long[] {bestStart, page};
                        }
                        runStart = -1;
                    }
                }
            }
            return result;
        }
    }

    private static Set<String> truth() {
        Set<String> s = new HashSet<>();
        for (SynthTruth.Process p : out.truth().processes()) {
            s.add(p.pid() + "/" + p.name() + "/" + Long.toHexString(p.eprocess()));
        }
        return s;
    }

    private static Set<String> processes(Layer physical, LocatorHints hints) {
        KernelDiscovery d = new KernelLocator(physical, List.of(profile), hints).locate();
        assertTrue(d.report().render(), d.complete());
        assertEquals(out.truth().dtb(), d.dtb());
        Set<String> s = new HashSet<>();
        for (WinProcess p : new ProcessWalker(d.kernel(), d.profile()).walk(d.psActiveProcessHead()).processes()) {
            s.add(p.pid() + "/" + p.name() + "/" + Long.toHexString(p.eprocess()));
        }
        return s;
    }

    @Test
    public void theProcessListIsTheRawImagesWhicheverFileIsNamed() throws Exception {
        try (FileLayer raw = FileLayer.open(out.image(), "raw")) {
            assertEquals(truth(), processes(raw, LocatorHints.none()));
        }
        for (Path named : List.of(vmem, vmss, vmsn)) {
            try (OpenedEvidence e = new VmwareFormat().open(named)) {
                Layer l = e.physical();
                assertEquals(named.toString(), 2, VmwareFormat.state(e).regions().size());
                assertEquals(named.toString(), vmsn.equals(named), VmwareFormat.state(e).embeddedMemory());
                assertTrue(named.toString(), !l.provenance(holeStart * PAGE).isAvailable()
                        && !l.provenance(holeEnd * PAGE - 1).isAvailable());
                assertTrue(named.toString(), l.provenance(holeEnd * PAGE).isAvailable());
                assertEquals(named.toString(), truth(), processes(l, LocatorHints.none()));
                // the vCPU's CR3 is a directory table base discovery can start from
                long hint = VmwareFormat.state(e).directoryTableBaseHint().getAsLong();
                assertEquals(out.truth().dtb(), hint);
                assertEquals(named.toString(), truth(), processes(l, LocatorHints.none().withDtb(hint)));
            }
        }
    }

    @Test
    public void theCommandLineListsTheSameProcessesFromEitherFile() {
        for (Path named : List.of(vmem, vmss, vmsn)) {
            Cli.Invocation o = Cli.capture(Extensions.fromPlatform(), "-f", named.toString(), "--no-hash", "-q",
                    "--symbols", out.isf().toString(), "windows.pslist", "-r", "json");
            assertEquals(named + ": " + o.err(), 0, o.exitCode());
            Set<String> listed = new HashSet<>();
            for (JsonNode r : JsonLines.parse(o.out())) {
                listed.add(r.get("PID").asLong() + "/" + r.get("ImageFileName").asText() + "/"
                        + r.get("Offset(V)").asText().replaceFirst("^0x", ""));
            }
            assertEquals(named.toString(), truth(), listed);

            Cli.Invocation info = Cli.capture(Extensions.fromPlatform(), "-f", named.toString(), "--no-hash", "-q",
                    "evidence.info", "-r", "json");
            assertEquals(info.err(), 0, info.exitCode());
            assertTrue(info.out(), info.out().contains("\"vmware\""));
            assertTrue(info.out(), info.out().contains("2 memory regions"));

            // the vCPU's CR3 reaches kernel discovery, which says it tried it first (discovery runs: the facts
            // the case cache recorded on the runs above would skip it)
            Cli.Invocation windows = Cli.capture(Extensions.fromPlatform(), "-f", named.toString(), "--no-hash",
                    "--no-cache", "-q", "--symbols", out.isf().toString(), "windows.info");
            assertEquals(windows.err(), 0, windows.exitCode());
            assertTrue(windows.out(), windows.out().contains("directory table base from the evidence (vmware): 0x"
                    + Long.toHexString(out.truth().dtb()) + ", tried first"));
        }
    }
}
