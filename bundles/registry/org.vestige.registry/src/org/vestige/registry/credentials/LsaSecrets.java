package org.vestige.registry.credentials;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import org.vestige.registry.Hive;
import org.vestige.registry.HiveException;
import org.vestige.registry.RegistryKey;
import org.vestige.registry.RegistryValue;

/**
 * Decrypts the LSA secrets of a SECURITY hive with the SYSTEM hive's {@link BootKey} (the "lsadump"
 * of Volatility and secretsdump): first the LSA key from {@code Policy\PolEKList} (Vista and later) or
 * {@code Policy\PolSecretEncryptionKey} (earlier), then {@code CurrVal} and {@code OldVal} of each
 * {@code Policy\Secrets\<name>}.
 *
 * @since 0.1
 */
public final class LsaSecrets {

    /** Key of the Vista+ encrypted LSA key list. */
    public static final String POLEKLIST = "Policy\\PolEKList";
    /** Key of the pre-Vista encrypted LSA key. */
    public static final String POLSECRETENCRYPTIONKEY = "Policy\\PolSecretEncryptionKey";
    /** Key holding one subkey per secret. */
    public static final String SECRETS = "Policy\\Secrets";

    private LsaSecrets() {
    }

    /**
     * Decrypts the LSA key and every secret. A secret that cannot be read or decrypted is listed with
     * notes saying why, and the others are still decrypted.
     *
     * @throws CredentialException when the LSA key cannot be found or decrypted
     * @throws HiveException       when the Policy keys cannot be read
     */
    public static LsaDump dump(Hive security, BootKey bootKey) {
        List<String> problems = new ArrayList<>();
        Optional<byte[]> ekList = defaultValue(security, POLEKLIST);
        LsaDump.Scheme scheme;
        List<LsaCipher.ListedKey> keys;
        if (ekList.isPresent()) {
            scheme = LsaDump.Scheme.AES_POLEKLIST;
            byte[] list;
            try {
                list = LsaCipher.decryptRecord(bootKey.bytes(), ekList.get());
            } catch (CredentialException e) {
                throw new CredentialException(POLEKLIST + ": " + e.getMessage(), e);
            }
            keys = LsaCipher.keyList(list);
        } else {
            byte[] legacy = defaultValue(security, POLSECRETENCRYPTIONKEY).orElseThrow(() -> new CredentialException(
                    "SECURITY hive has neither " + POLEKLIST + " nor " + POLSECRETENCRYPTIONKEY));
            scheme = LsaDump.Scheme.RC4_POLSECRETENCRYPTIONKEY;
            keys = List.of(new LsaCipher.ListedKey(new byte[16], LsaCipher.legacyLsaKey(legacy, bootKey)));
        }
        List<LsaSecret> secrets = new ArrayList<>();
        Optional<RegistryKey> secretsKey = security.findKey(SECRETS);
        if (secretsKey.isEmpty()) {
            problems.add("SECURITY hive has no " + SECRETS);
        } else {
            for (RegistryKey s : secretsKey.get().subkeys(p -> problems.add(p.toString()))) {
                List<String> notes = new ArrayList<>();
                byte[] current = decrypt(s, "CurrVal", scheme, keys, notes);
                byte[] previous = decrypt(s, "OldVal", scheme, keys, notes);
                secrets.add(new LsaSecret(s.name(), current, previous, notes));
            }
        }
        return new LsaDump(scheme, keys.get(0).key(), secrets, problems);
    }

    /**
     * Lists the secret names of a SECURITY hive without decrypting anything.
     *
     * @throws HiveException when the Secrets key cannot be read
     */
    public static List<String> secretNames(Hive security) {
        return security.findKey(SECRETS).map(k -> k.subkeys().stream().map(RegistryKey::name).toList())
                .orElse(List.of());
    }

    private static byte[] decrypt(RegistryKey secret, String which, LsaDump.Scheme scheme,
            List<LsaCipher.ListedKey> keys, List<String> notes) {
        byte[] value;
        try {
            Optional<RegistryKey> k = secret.subkey(which);
            if (k.isEmpty()) {
                return null;
            }
            Optional<RegistryValue> v = k.get().value("");
            if (v.isEmpty()) {
                return null;
            }
            value = v.get().data();
        } catch (HiveException e) {
            notes.add(which + " unreadable: " + e.getMessage());
            return null;
        }
        if (value.length == 0) {
            return null;
        }
        try {
            if (scheme == LsaDump.Scheme.RC4_POLSECRETENCRYPTIONKEY) {
                return LsaCipher.decryptLegacySecret(keys.get(0).key(), value);
            }
            byte[] id = LsaCipher.recordKeyId(value);
            byte[] key = keys.stream().filter(k -> Arrays.equals(k.id(), id)).findFirst().orElse(keys.get(0)).key();
            return LsaCipher.decryptRecord(key, value);
        } catch (CredentialException e) {
            notes.add(which + ": " + e.getMessage());
            return null;
        }
    }

    private static Optional<byte[]> defaultValue(Hive hive, String keyPath) {
        return hive.findKey(keyPath).flatMap(k -> k.value("")).map(RegistryValue::data);
    }
}
