package org.vestige.windows;

import static org.vestige.windows.MemoryReader.hex;

import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Optional;

import org.vestige.core.layer.Layer;
import org.vestige.core.types.Profile;
import org.vestige.core.types.TypeRef;
import org.vestige.windows.internal.Bytes;

/**
 * Reads a process's primary token: {@code _EPROCESS.Token} is an {@code _EX_FAST_REF} whose low bits
 * ({@code RefCnt}, 4 on x64) count cached references and whose other bits point at the {@code _TOKEN}; the
 * token holds its privilege masks ({@code _SEP_TOKEN_PRIVILEGES}) and points at its
 * {@code _SID_AND_ATTRIBUTES} arrays (UserAndGroups, RestrictedSids), which Windows lays out with their SIDs
 * in the token's variable part, after the _TOKEN body (Windows Internals, 7th ed., part 1, ch. 7).
 *
 * <p>Every byte is read through the kernel's address space, so paged-out and compressed token pages count;
 * what cannot be read is a {@link Readout.Missing} with its cause. A wild pointer, an absurd count or a
 * malformed _SID is a warning naming the process and the address, and the rest of the token is still read.
 *
 * @since 0.1
 */
public final class TokenReader {

    /**
     * The most groups a token's UserAndGroups can hold: a security principal is a member of at most 1,015
     * groups (Microsoft, "Logging on a user account that is a member of more than 1,010 groups may fail"),
     * and the logon adds a few well-known ones; the bound leaves room for both.
     */
    public static final int MAX_GROUPS = 2048;

    /** The structures a profile must describe for tokens to be read. */
    static final List<String> TYPES = List.of("_TOKEN", "_SID_AND_ATTRIBUTES", "_SEP_TOKEN_PRIVILEGES");

    private final MemoryReader reader;
    private final Fields f;

    /** Field offsets of one _TOKEN layout, resolved once. */
    private record Fields(int eprocessToken, long refMask, int size, int tokenId, int authenticationId, int sessionId,
            int groupCount, int restrictedCount, int groups, int restricted, int integrityIndex, int present,
            int enabled, int enabledByDefault, int entrySize, int entrySid, int entryAttributes) {

        static Fields of(Profile p) {
            int refBits = 4;
            if (p.has("_EX_FAST_REF", "RefCnt") && p.resolve("_EX_FAST_REF", "RefCnt").type()
                    instanceof TypeRef.Bitfield b) {
                refBits = b.length();
            }
            int privileges = (int) p.offset("_TOKEN", "Privileges");
            return new Fields((int) p.offset("_EPROCESS", "Token"), (1L << refBits) - 1,
                    (int) p.requireStruct("_TOKEN").size(), (int) p.offset("_TOKEN", "TokenId"),
                    (int) p.offset("_TOKEN", "AuthenticationId"), (int) p.offset("_TOKEN", "SessionId"),
                    (int) p.offset("_TOKEN", "UserAndGroupCount"), (int) p.offset("_TOKEN", "RestrictedSidCount"),
                    (int) p.offset("_TOKEN", "UserAndGroups"), (int) p.offset("_TOKEN", "RestrictedSids"),
                    p.has("_TOKEN", "IntegrityLevelIndex") ? (int) p.offset("_TOKEN", "IntegrityLevelIndex") : -1,
                    privileges + (int) p.offset("_SEP_TOKEN_PRIVILEGES", "Present"),
                    privileges + (int) p.offset("_SEP_TOKEN_PRIVILEGES", "Enabled"),
                    privileges + (int) p.offset("_SEP_TOKEN_PRIVILEGES", "EnabledByDefault"),
                    (int) p.requireStruct("_SID_AND_ATTRIBUTES").size(), (int) p.offset("_SID_AND_ATTRIBUTES", "Sid"),
                    (int) p.offset("_SID_AND_ATTRIBUTES", "Attributes"));
        }
    }

    /**
     * @param kernel  the kernel's address space (with the case's backing stores)
     * @param profile the kernel's profile
     * @throws NoSuchElementException naming what the profile lacks; {@link #unsupported(Profile)} says so first
     */
    public TokenReader(Layer kernel, Profile profile) {
        this.reader = new MemoryReader(Objects.requireNonNull(kernel));
        Optional<String> why = unsupported(profile);
        if (why.isPresent()) {
            throw new NoSuchElementException(why.get());
        }
        this.f = Fields.of(profile);
    }

    /** @return why tokens cannot be read with {@code profile} (the structures it lacks), or empty when they can */
    public static Optional<String> unsupported(Profile profile) {
        List<String> lacking = new ArrayList<>();
        for (String t : TYPES) {
            if (profile.struct(t).isEmpty()) {
                lacking.add(t);
            }
        }
        if (!profile.has("_EPROCESS", "Token")) {
            lacking.add("_EPROCESS.Token");
        }
        if (lacking.isEmpty()) {
            for (String field : List.of("TokenId", "AuthenticationId", "SessionId", "UserAndGroupCount",
                    "RestrictedSidCount", "UserAndGroups", "RestrictedSids", "Privileges")) {
                if (!profile.has("_TOKEN", field)) {
                    lacking.add("_TOKEN." + field);
                }
            }
        }
        return lacking.isEmpty() ? Optional.empty() : Optional.of("the profile " + profile.source() + " has no "
                + String.join(", ", lacking) + ", so tokens cannot be read");
    }

    /** @return the process's primary token, or why it cannot be read */
    public Readout<WinToken> read(WinProcess process) {
        Readout<Long> ref = reader.qword(process.eprocess() + f.eprocessToken, process + ": _EPROCESS.Token");
        if (!ref.isPresent()) {
            return Readout.missing(ref.cause(), ref.reason());
        }
        long address = ref.get() & ~f.refMask;
        int refCount = (int) (ref.get() & f.refMask);
        if (address == 0) {
            return Readout.missing(process + ": _EPROCESS.Token is null (no primary token)");
        }
        if (!kernelPointer(address)) {
            return Readout.missing(process + ": _EPROCESS.Token " + hex(ref.get()) + " points at " + hex(address)
                    + ", not a kernel address");
        }
        Readout<byte[]> body = reader.bytes(address, f.size, process + ": _TOKEN");
        if (!body.isPresent()) {
            return Readout.missing(body.cause(), body.reason());
        }
        byte[] t = body.get();
        List<String> warnings = new ArrayList<>();
        String where = process + ": _TOKEN at " + hex(address);
        long groupCount = Bytes.u32(t, f.groupCount);
        long restrictedCount = Bytes.u32(t, f.restrictedCount);
        Readout<List<TokenSid>> groups = entries(Bytes.u64(t, f.groups), groupCount, where, "UserAndGroups",
                "UserAndGroupCount", warnings);
        Readout<List<TokenSid>> restricted = restrictedCount == 0 ? Readout.of(List.of()) : entries(Bytes.u64(t,
                f.restricted), restrictedCount, where, "RestrictedSids", "RestrictedSidCount", warnings);
        int integrity = -1;
        if (f.integrityIndex >= 0) {
            long index = Bytes.u32(t, f.integrityIndex);
            if (index < groupCount) {
                integrity = (int) index;
            } else if (index != 0xFFFF_FFFFL && groupCount <= MAX_GROUPS) {
                warnings.add(where + ": IntegrityLevelIndex " + index + " lies outside its " + groupCount
                        + " UserAndGroups");
            }
        }
        return Readout.of(new WinToken(address, refCount, luid(t, f.tokenId), luid(t, f.authenticationId), Bytes.u32(
                t, f.sessionId), groups, restricted, integrity, Bytes.u64(t, f.present), Bytes.u64(t, f.enabled), Bytes
                        .u64(t, f.enabledByDefault), warnings));
    }

    private static long luid(byte[] b, int at) {
        return Bytes.u32(b, at) | Bytes.u32(b, at + 4) << 32;
    }

    private static boolean kernelPointer(long va) {
        return va < 0 && X64Translator.canonical(va) && (va & 7) == 0;
    }

    /**
     * Reads a _SID_AND_ATTRIBUTES array and the SIDs its entries point at.
     *
     * @param what      the array's field, for messages
     * @param countName the field holding its count, for messages
     */
    private Readout<List<TokenSid>> entries(long array, long count, String where, String what, String countName,
            List<String> warnings) {
        if (count == 0) {
            return Readout.of(List.of());
        }
        if (count > MAX_GROUPS) {
            String w = where + ": " + countName + " " + count + " is more than any token holds (" + MAX_GROUPS
                    + "); its SIDs are not read";
            warnings.add(w);
            return Readout.missing(w);
        }
        if (!kernelPointer(array)) {
            String w = where + ": " + what + " " + hex(array) + " is not a kernel address; its " + count
                    + " SIDs are not read";
            warnings.add(w);
            return Readout.missing(w);
        }
        Readout<byte[]> bytes = reader.bytes(array, (int) count * f.entrySize, where + ": " + what + " array");
        if (!bytes.isPresent()) {
            if (bytes.cause() instanceof org.vestige.core.layer.MissingCause.NotMapped) {
                // a kernel address the page tables do not map: the pointer, not the paging, is wrong
                warnings.add(bytes.reason());
            }
            return Readout.missing(bytes.cause(), bytes.reason());
        }
        byte[] b = bytes.get();
        List<TokenSid> out = new ArrayList<>((int) count);
        for (int i = 0; i < count; i++) {
            int at = i * f.entrySize;
            long sidAddress = Bytes.u64(b, at + f.entrySid);
            long attributes = Bytes.u32(b, at + f.entryAttributes);
            String name = where + ": " + what + "[" + i + "].Sid";
            out.add(new TokenSid(i, sidAddress, sid(sidAddress, name, warnings), attributes));
        }
        return Readout.of(out);
    }

    private Readout<Sid> sid(long va, String name, List<String> warnings) {
        if (va >= 0 || !X64Translator.canonical(va) || (va & 3) != 0) {
            String w = name + " " + hex(va) + " is not a kernel address";
            warnings.add(w);
            return Readout.missing(w);
        }
        Readout<byte[]> head = reader.bytes(va, Sid.HEADER_SIZE, name + " _SID");
        if (!head.isPresent()) {
            if (head.cause() instanceof org.vestige.core.layer.MissingCause.NotMapped) {
                warnings.add(head.reason());
            }
            return Readout.missing(head.cause(), head.reason());
        }
        int count = head.get()[1] & 0xff;
        if (head.get()[0] != 1 || count > Sid.MAX_SUB_AUTHORITIES) {
            String w = name + ": the _SID at " + hex(va) + " is malformed (Revision " + (head.get()[0] & 0xff)
                    + ", SubAuthorityCount " + count + ")";
            warnings.add(w);
            return Readout.missing(w);
        }
        return reader.bytes(va, Sid.size(count), name + " _SID").map(b -> Sid.parse(b, 0));
    }
}
