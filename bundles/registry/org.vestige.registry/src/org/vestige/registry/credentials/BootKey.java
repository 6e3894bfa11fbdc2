package org.vestige.registry.credentials;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.Optional;

import org.vestige.registry.ControlSets;
import org.vestige.registry.Hive;
import org.vestige.registry.HiveException;
import org.vestige.registry.RegistryKey;

/**
 * The boot key (syskey): 16 bytes kept scrambled in the class names of four keys under
 * {@code ControlSetNNN\Control\Lsa} of the SYSTEM hive ({@code JD}, {@code Skew1}, {@code GBG},
 * {@code Data}, 8 hex digits each). Concatenated they give 16 bytes {@code s}; the key is
 * {@code key[i] = s[PERMUTATION[i]]}.
 *
 * @since 0.1
 */
public final class BootKey {

    /** The permutation that unscrambles the class-name bytes. */
    private static final int[] PERMUTATION = {8, 5, 4, 2, 11, 9, 13, 3, 0, 6, 1, 12, 14, 10, 15, 7};

    /** The keys under Control\Lsa whose class names hold the scrambled key, in order. */
    public static final String[] CLASS_KEYS = {"JD", "Skew1", "GBG", "Data"};

    private final byte[] key;

    private BootKey(byte[] key) {
        this.key = key;
    }

    /** @return the boot key with the given 16 bytes */
    public static BootKey of(byte[] key) {
        if (key.length != 16) {
            throw new IllegalArgumentException("a boot key is 16 bytes, not " + key.length);
        }
        return new BootKey(key.clone());
    }

    /** @return the boot key written as 32 hex digits */
    public static BootKey fromHex(String hex) {
        return of(HexFormat.of().parseHex(hex));
    }

    /**
     * Unscrambles the boot key from the four class names.
     *
     * @throws CredentialException when a class name is not 8 hex digits
     */
    public static BootKey fromClassNames(String jd, String skew1, String gbg, String data) {
        String[] parts = {jd, skew1, gbg, data};
        byte[] scrambled = new byte[16];
        for (int i = 0; i < 4; i++) {
            String p = parts[i] == null ? "" : parts[i].trim();
            if (p.length() != 8 || !p.chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
                throw new CredentialException("class name of Control\\Lsa\\" + CLASS_KEYS[i]
                        + " is \"" + parts[i] + "\", not 8 hex digits");
            }
            System.arraycopy(HexFormat.of().parseHex(p), 0, scrambled, 4 * i, 4);
        }
        byte[] key = new byte[16];
        for (int i = 0; i < 16; i++) {
            key[i] = scrambled[PERMUTATION[i]];
        }
        return new BootKey(key);
    }

    /**
     * Reads the boot key from a SYSTEM hive: the current control set from {@code Select}, then the
     * class names under its {@code Control\Lsa}.
     *
     * @throws CredentialException when a key or class name is missing or malformed
     * @throws HiveException       when the cells on the way cannot be read
     */
    public static BootKey fromSystem(Hive system) {
        String controlSet = ControlSets.current(system).keyName();
        String lsaPath = controlSet + "\\Control\\Lsa";
        RegistryKey lsa = system.findKey(lsaPath)
                .orElseThrow(() -> new CredentialException("SYSTEM hive has no " + lsaPath));
        String[] classes = new String[4];
        for (int i = 0; i < 4; i++) {
            String name = CLASS_KEYS[i];
            RegistryKey k = lsa.subkey(name)
                    .orElseThrow(() -> new CredentialException("SYSTEM hive has no " + lsaPath + "\\" + name));
            Optional<String> cls = k.className();
            classes[i] = cls.orElseThrow(() -> new CredentialException(lsaPath + "\\" + name + " has no class name"));
        }
        return fromClassNames(classes[0], classes[1], classes[2], classes[3]);
    }

    /** @return the four class names (JD, Skew1, GBG, Data) that scramble this key, as Windows stores them */
    public String[] scrambledClassNames() {
        byte[] scrambled = new byte[16];
        for (int i = 0; i < 16; i++) {
            scrambled[PERMUTATION[i]] = key[i];
        }
        String[] out = new String[4];
        for (int i = 0; i < 4; i++) {
            out[i] = HexFormat.of().formatHex(scrambled, 4 * i, 4 * i + 4);
        }
        return out;
    }

    /** @return the 16 key bytes */
    public byte[] bytes() {
        return key.clone();
    }

    /** @return the key as 32 lowercase hex digits */
    public String hex() {
        return HexFormat.of().formatHex(key);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof BootKey b && Arrays.equals(key, b.key);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(key);
    }

    @Override
    public String toString() {
        return "BootKey[" + hex() + "]";
    }
}
