package org.vestige.fuzz;

import org.vestige.registry.Hive;
import org.vestige.registry.HiveException;
import org.vestige.registry.HiveVisitor;
import org.vestige.registry.RegistryKey;
import org.vestige.registry.RegistryValue;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Fuzzes the registry hive reader: the base block, the hive bins, and a walk of keys, values, class
 * names and security cells with every value's data read and decoded, plus a lookup by path. Strict reads
 * may throw {@link HiveException} (naming the cell); the lenient walk and bin listing report problems and
 * go on. Anything else is a finding.
 */
class HiveFuzzTest {

    private static final int KEYS = 512;

    @FuzzTest(maxDuration = "2m")
    void walk(byte[] data) {
        Hive hive;
        try {
            hive = Hive.of("fuzz", data);
        } catch (HiveException e) {
            return;
        }
        Records.touch(hive.openProblems());
        Records.touch(hive.bins(p -> String.valueOf(p)));
        hive.walk(new Touching());
        strictly(() -> hive.findKey("ControlSet001\\Control\\Session Manager"));
        strictly(() -> hive.findValue("Select", "Current"));
    }

    private static void strictly(Runnable read) {
        try {
            read.run();
        } catch (HiveException e) {
            // an unreadable cell, named in the message
        }
    }

    /** Reads everything the walk hands over, up to {@value #KEYS} keys. */
    private static final class Touching implements HiveVisitor {
        private int keys;

        @Override
        public boolean key(String path, RegistryKey key, int depth) {
            keys++;
            strictly(key::className);
            strictly(key::security);
            return true;
        }

        @Override
        public void value(String keyPath, RegistryKey key, RegistryValue value) {
            strictly(() -> String.valueOf(value.decode()));
        }

        @Override
        public boolean stopRequested() {
            return keys >= KEYS;
        }
    }
}
