package org.vestige.registry.credentials;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Optional;

import org.vestige.registry.internal.Md4;

/**
 * An LSA secret's plaintext interpreted by what the secret's name says it holds.
 *
 * @since 0.1
 */
public sealed interface SecretValue {

    /** @return a one-line rendering, in the style of secretsdump */
    String display();

    /** A password or other text (DefaultPassword, _SC_service, ASPNET_WP_PASSWORD, L$_SQSA_*). */
    record Text(String text) implements SecretValue {
        @Override
        public String display() {
            return text;
        }
    }

    /**
     * DPAPI_SYSTEM: the machine and user DPAPI keys (20 bytes each after a 4-byte version).
     */
    record DpapiSystem(long version, byte[] machineKey, byte[] userKey) implements SecretValue {
        public DpapiSystem {
            machineKey = machineKey.clone();
            userKey = userKey.clone();
        }

        @Override
        public byte[] machineKey() {
            return machineKey.clone();
        }

        @Override
        public byte[] userKey() {
            return userKey.clone();
        }

        @Override
        public String display() {
            return "dpapi_machinekey:0x" + HexFormat.of().formatHex(machineKey) + " dpapi_userkey:0x"
                    + HexFormat.of().formatHex(userKey);
        }
    }

    /** $MACHINE.ACC: the computer account's password (raw UTF-16, often not valid text) and its NT hash. */
    record MachineAccount(byte[] password, byte[] ntHash) implements SecretValue {
        public MachineAccount {
            password = password.clone();
            ntHash = ntHash.clone();
        }

        @Override
        public byte[] password() {
            return password.clone();
        }

        @Override
        public byte[] ntHash() {
            return ntHash.clone();
        }

        @Override
        public String display() {
            return "nthash:" + HexFormat.of().formatHex(ntHash) + " plain_password_hex:"
                    + HexFormat.of().formatHex(password);
        }
    }

    /** Bytes with no further meaning known here (NL$KM, the cached-logon key; unknown secrets; undecodable text). */
    record Binary(byte[] bytes) implements SecretValue {
        public Binary {
            bytes = bytes.clone();
        }

        @Override
        public byte[] bytes() {
            return bytes.clone();
        }

        @Override
        public String display() {
            return HexFormat.of().formatHex(bytes);
        }
    }

    /** Interprets the plaintext of secret {@code name}. */
    static SecretValue decode(String name, byte[] plain) {
        String upper = name.toUpperCase(Locale.ROOT);
        if (upper.startsWith("DPAPI_SYSTEM") && plain.length >= 44) {
            return new DpapiSystem(org.vestige.registry.internal.LittleEndian.u32(plain, 0),
                    Arrays.copyOfRange(plain, 4, 24), Arrays.copyOfRange(plain, 24, 44));
        }
        if (upper.startsWith("$MACHINE.ACC")) {
            return new MachineAccount(plain, Md4.digest(plain));
        }
        if (upper.startsWith("_SC_") || upper.startsWith("DEFAULTPASSWORD") || upper.startsWith("ASPNET_WP_PASSWORD")
                || upper.startsWith("L$_SQSA_")) {
            Optional<String> text = strictUtf16(plain);
            if (text.isPresent()) {
                return new Text(text.get());
            }
        }
        return new Binary(plain);
    }

    /** @return the text when {@code b} is well-formed UTF-16LE (trailing NULs dropped) */
    static Optional<String> strictUtf16(byte[] b) {
        if ((b.length & 1) != 0) {
            return Optional.empty();
        }
        int end = b.length;
        while (end >= 2 && b[end - 1] == 0 && b[end - 2] == 0) {
            end -= 2;
        }
        try {
            return Optional.of(StandardCharsets.UTF_16LE.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(b, 0, end)).toString());
        } catch (CharacterCodingException e) {
            return Optional.empty();
        }
    }
}
