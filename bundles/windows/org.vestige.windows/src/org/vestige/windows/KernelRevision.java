package org.vestige.windows;

import org.vestige.core.layer.Layer;
import org.vestige.windows.internal.Bytes;
import org.vestige.windows.internal.PeImage;

/**
 * The kernel's file revision (the last part of its version, 1288 in 10.0.19041.1288), read from the
 * version resource in the kernel image's {@code .rsrc} section: the {@code VS_FIXEDFILEINFO} structure
 * (signature 0xFEEF04BD; {@code dwFileVersionLS} at +12 holds the build in its high word and the revision
 * in its low word, as Microsoft's VS_FIXEDFILEINFO documentation describes). When the exact kernel's
 * profile is not installed, the profile of the nearest revision of the build is tried first.
 *
 * @since 0.1
 */
public final class KernelRevision {

    private static final int SIGNATURE = 0xFEEF04BD;
    /** The most of the resource section read: a kernel's resources take a few tens of KB. */
    private static final int MAX_SECTION = 1 << 20;

    private KernelRevision() {
    }

    /**
     * @param layer the kernel address space
     * @param base  the kernel image's base
     * @param build the kernel's build, which the version resource must name
     * @return the revision, or 0 when the image has no readable version resource of that build
     */
    public static int read(Layer layer, long base, int build) {
        PeImage image;
        try {
            image = PeImage.read(layer, base);
        } catch (PeImage.NotPeException e) {
            return 0;
        }
        for (PeImage.Section s : image.sections()) {
            if (!s.name().equals(".rsrc") || s.virtualSize() <= 0) {
                continue;
            }
            int length = Math.min(s.virtualSize(), MAX_SECTION);
            byte[] data = new byte[length];
            for (int at = 0; at < length; at += 0x1000) {
                layer.read(image.base() + s.rva() + at, data, at, Math.min(0x1000, length - at));
            }
            for (int at = 0; at + 16 <= length; at += 4) {
                if ((int) Bytes.u32(data, at) == SIGNATURE) {
                    long ls = Bytes.u32(data, at + 12);
                    if (build != 0 && (ls >>> 16) == build) {
                        return (int) (ls & 0xffff);
                    }
                }
            }
        }
        return 0;
    }
}
