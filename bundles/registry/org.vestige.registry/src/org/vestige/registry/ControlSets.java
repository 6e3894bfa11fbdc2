package org.vestige.registry;

import java.util.Optional;

/**
 * Finds the control set a SYSTEM hive boots with. In a hive file, {@code CurrentControlSet} does not
 * exist (it is a volatile link the kernel creates), so the number comes from {@code Select\Current}.
 *
 * @since 0.1
 */
public final class ControlSets {

    private ControlSets() {
    }

    /**
     * The control set in use.
     *
     * @param number the control set number (1 for ControlSet001)
     * @param source the value it was taken from ("Select\Current", "Select\Default") or "first present"
     * @since 0.1
     */
    public record ControlSet(int number, String source) {

        /** @return the key name, e.g. {@code ControlSet001} */
        public String keyName() {
            return String.format("ControlSet%03d", number);
        }
    }

    /**
     * Reads {@code Select\Current} (then {@code Select\Default}); when neither is readable, takes the
     * lowest-numbered ControlSetNNN key present.
     *
     * @throws KeyNotFoundException when the hive has no control set at all
     * @throws HiveException        when the cells on the way cannot be read
     */
    public static ControlSet current(Hive system) {
        Optional<RegistryKey> select = system.findKey("Select");
        if (select.isPresent()) {
            for (String name : new String[] {"Current", "Default"}) {
                Optional<RegistryValue> v = select.get().value(name);
                if (v.isPresent()) {
                    try {
                        long n = v.get().asDword();
                        if (n > 0 && n < 1000 && system.findKey(String.format("ControlSet%03d", n)).isPresent()) {
                            return new ControlSet((int) n, "Select\\" + name);
                        }
                    } catch (HiveException e) {
                        // fall through to the next candidate
                    }
                }
            }
        }
        for (int n = 1; n < 1000; n++) {
            if (system.findKey(String.format("ControlSet%03d", n)).isPresent()) {
                return new ControlSet(n, "first present");
            }
        }
        throw new KeyNotFoundException(system.rootCellOffset(), "ControlSet001", "ControlSet001");
    }
}
