package org.vestige.fuzz;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.NoSuchElementException;

import org.vestige.core.types.Field;
import org.vestige.core.types.IsfReader;
import org.vestige.core.types.Profile;
import org.vestige.core.types.StructType;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Fuzzes the ISF (Volatility 3 symbol JSON) profile reader, plain or xz-compressed: a malformed or
 * non-ISF file is an {@link IOException} naming the source and the JSON path. A profile that passes
 * validation must answer for every field it declares: its offset by path and its type's size.
 */
class IsfFuzzTest {

    @FuzzTest(maxDuration = "2m")
    void read(byte[] data) {
        Profile profile;
        try {
            profile = IsfReader.read(new ByteArrayInputStream(data), "fuzz.json");
        } catch (IOException e) {
            return;
        }
        String.valueOf(profile);
        profile.identity();
        profile.symbols().size();
        int n = 0;
        for (StructType s : profile.structs().values()) {
            for (Field f : s.fields().values()) {
                if (n++ == Records.LIMIT) {
                    return;
                }
                answer(profile, s, f);
            }
        }
    }

    private static void answer(Profile profile, StructType s, Field f) {
        try {
            profile.resolve(s.name(), f.name());
        } catch (NoSuchElementException e) {
            // a field name with a dot in it cannot be resolved by path; that is said, not thrown wrongly
        }
        profile.sizeOf(f.type());
    }
}
