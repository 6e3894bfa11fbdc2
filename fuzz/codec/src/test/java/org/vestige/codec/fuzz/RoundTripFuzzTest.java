package org.vestige.codec.fuzz;

import java.util.Arrays;

import org.vestige.codec.Codec;
import org.vestige.codec.CodecException;
import org.vestige.codec.XpressCarver;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Every encoder's output decodes back to the input (exactly, and with room to spare); a page
 * compressed with plain LZ77 is found by the carver at its offset with its length.
 */
class RoundTripFuzzTest {

    @FuzzTest(maxDuration = "2m")
    void roundTrip(FuzzedDataProvider data) throws CodecException {
        Codec codec = Codec.values()[data.consumeInt(0, Codec.values().length - 1)];
        byte[] plain = data.consumeRemainingAsBytes();
        byte[] compressed = codec.compressor().compress(plain);
        if (compressed.length > codec.compressor().maxCompressedLength(plain.length)) {
            throw new IllegalStateException(codec.id() + " exceeded maxCompressedLength");
        }
        byte[] back = codec.decompressor().decompress(compressed, plain.length);
        if (!Arrays.equals(plain, back)) {
            throw new IllegalStateException(codec.id() + " round trip differs");
        }
        byte[] roomy = new byte[plain.length + 100];
        int n = codec.decompressor().decompress(compressed, 0, compressed.length, roomy, 0, roomy.length);
        if (n != plain.length) {
            throw new IllegalStateException(codec.id() + " decoded " + n + " of " + plain.length + " with spare room");
        }
        if (codec == Codec.XPRESS && plain.length >= 4096) {
            byte[] page = Arrays.copyOf(plain, 4096);
            byte[] stream = Codec.XPRESS.compressor().compress(page);
            byte[] region = Arrays.copyOf(stream, (stream.length + 15 & -16) + 64);
            var found = new XpressCarver().carve(region, 0, region.length);
            if (found.isEmpty() || found.get(0).offset() != 0 || found.get(0).compressedLength() != stream.length
                    || !Arrays.equals(found.get(0).page(), page)) {
                throw new IllegalStateException("carver missed a page stream of " + stream.length + " bytes");
            }
        }
    }
}
