package org.vestige.layer.hiber;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

import org.vestige.core.evidence.EvidenceException;
import org.vestige.core.evidence.EvidenceFormat;
import org.vestige.core.evidence.OpenedEvidence;
import org.vestige.core.evidence.ProbeResult;
import org.vestige.core.layer.LittleEndian;

/**
 * Windows 8 to 11 24H2 (x64) hibernation files ({@code hiberfil.sys}): the memory of a machine that
 * hibernated or shut down with fast startup. The opened layer is a {@link HiberLayer} over the file's
 * compression sets; see {@link HiberFile} for the format and its sources.
 *
 * <p>The probe reads the header page only: the signature ({@code HIBR}, {@code WAKE}, {@code RSTR}) and the
 * header's size, which must select a known layout. A file whose header page is all zeros and that is named
 * {@code hiberfil.sys} is claimed too, so that opening it says it holds nothing rather than reading it as a
 * raw image of zeros.
 *
 * @since 0.1
 */
public final class HiberFormat implements EvidenceFormat {

    /** The format id used in {@link OpenedEvidence#formatId()}. */
    public static final String ID = "hiberfil";

    public HiberFormat() {
    }

    @Override
    public ProbeResult probe(Path file) {
        byte[] head;
        try (InputStream in = Files.newInputStream(file)) {
            head = in.readNBytes(HiberFile.PAGE);
        } catch (IOException e) {
            return ProbeResult.no("cannot read the file: " + e.getMessage());
        }
        if (head.length < 16) {
            return ProbeResult.no("shorter than a hibernation header (" + head.length + " bytes)");
        }
        int signature = LittleEndian.i32(head, 0);
        String text = HiberHeader.text(signature);
        boolean named = file.getFileName().toString().toLowerCase(Locale.ROOT).equals("hiberfil.sys");
        if (signature != HiberHeader.HIBR && signature != HiberHeader.WAKE && signature != HiberHeader.RSTR) {
            if (signature == 0 && named && allZero(head)) {
                return new ProbeResult(60, "named hiberfil.sys with a header page of zeros: a hibernation file "
                        + "Windows cleared after resuming (it holds nothing)");
            }
            return ProbeResult.no(HiberFile.notHiber(text));
        }
        long lengthSelf = LittleEndian.u32(head, HiberLayout.LENGTH_SELF);
        return HiberLayout.forLength(lengthSelf)
                .map(l -> ProbeResult.certain("hibernation file, " + HiberHeader.meaning(text) + "; header of 0x"
                        + Long.toHexString(lengthSelf) + " bytes (the layout of builds " + l.builds() + ")"))
                .orElseGet(() -> new ProbeResult(50, "hibernation signature " + text + " but a header size (0x"
                        + Long.toHexString(lengthSelf) + ") of no known layout (known builds: "
                        + HiberLayout.knownBuilds() + ")"));
    }

    @Override
    public OpenedEvidence open(Path file) throws EvidenceException {
        HiberFile hiber = HiberFile.open(file);
        HiberLayer layer = new HiberLayer(hiber);
        return new OpenedEvidence(ID, layer, List.of(), hiber.properties(), List.of(layer));
    }

    /** @return the indexed hibernation file behind evidence this format opened, or null for other evidence */
    public static HiberFile hiberFile(OpenedEvidence evidence) {
        return evidence.physical() instanceof HiberLayer l ? l.file() : null;
    }

    private static boolean allZero(byte[] b) {
        for (byte x : b) {
            if (x != 0) {
                return false;
            }
        }
        return true;
    }
}
