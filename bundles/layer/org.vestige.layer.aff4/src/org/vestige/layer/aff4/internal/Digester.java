package org.vestige.layer.aff4.internal;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Optional;

/**
 * A hash function by its AFF4 name (the local name of the datatype: {@code MD5}, {@code SHA1}, {@code SHA256},
 * {@code SHA512}, {@code Blake2b}; case and dashes do not matter).
 */
public final class Digester {

    private final String name;
    private final MessageDigest jdk;
    private final Blake2b blake;

    private Digester(String name, MessageDigest jdk, Blake2b blake) {
        this.name = name;
        this.jdk = jdk;
        this.blake = blake;
    }

    /** @return the canonical AFF4 name for an algorithm name, or empty when it is not a supported hash */
    public static Optional<String> canonical(String algorithm) {
        String a = algorithm.toUpperCase(Locale.ROOT).replace("-", "").replace("_", "");
        return switch (a) {
            case "MD5" -> Optional.of("MD5");
            case "SHA1" -> Optional.of("SHA1");
            case "SHA256" -> Optional.of("SHA256");
            case "SHA512" -> Optional.of("SHA512");
            case "BLAKE2B", "BLAKE2B512" -> Optional.of("Blake2b");
            default -> Optional.empty();
        };
    }

    /** @throws IllegalArgumentException for an algorithm this class does not know */
    public static Digester create(String algorithm) {
        String c = canonical(algorithm).orElseThrow(() -> new IllegalArgumentException("unsupported hash " + algorithm));
        try {
            return switch (c) {
                case "MD5" -> new Digester(c, MessageDigest.getInstance("MD5"), null);
                case "SHA1" -> new Digester(c, MessageDigest.getInstance("SHA-1"), null);
                case "SHA256" -> new Digester(c, MessageDigest.getInstance("SHA-256"), null);
                case "SHA512" -> new Digester(c, MessageDigest.getInstance("SHA-512"), null);
                default -> new Digester(c, null, new Blake2b());
            };
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK lacks " + c, e);
        }
    }

    /** @return the digest length in bytes of an algorithm */
    public static int length(String algorithm) {
        return switch (canonical(algorithm).orElse("")) {
            case "MD5" -> 16;
            case "SHA1" -> 20;
            case "SHA256" -> 32;
            case "SHA512", "Blake2b" -> 64;
            default -> throw new IllegalArgumentException("unsupported hash " + algorithm);
        };
    }

    public String name() {
        return name;
    }

    public void update(byte[] data, int offset, int length) {
        if (jdk != null) {
            jdk.update(data, offset, length);
        } else {
            blake.update(data, offset, length);
        }
    }

    public void update(byte[] data) {
        update(data, 0, data.length);
    }

    /** @return the digest; the digester is reset */
    public byte[] digest() {
        return jdk != null ? jdk.digest() : blake.digest();
    }

    /** @return the digest of {@code data} under {@code algorithm} */
    public static byte[] of(String algorithm, byte[]... data) {
        Digester d = create(algorithm);
        for (byte[] b : data) {
            d.update(b);
        }
        return d.digest();
    }

    public static String hex(byte[] digest) {
        return HexFormat.of().formatHex(digest);
    }
}
