package org.vestige.plugin.profiles.pdb;

import java.util.ArrayList;
import java.util.List;

/**
 * Reads an LF_FIELDLIST record's members. Member leaves and layouts are CodeView facts from
 * Microsoft's microsoft-pdb repository ({@code include/cvinfo.h}): each member starts with its leaf
 * kind and is padded to four bytes with LF_PAD bytes (0xF0 + count). Only data members and enumerators
 * are kept; the others are read past so the list can be walked.
 */
final class FieldListReader {

    private static final int LF_BCLASS = 0x1400;
    private static final int LF_VBCLASS = 0x1401;
    private static final int LF_IVBCLASS = 0x1402;
    private static final int LF_INDEX = 0x1404;
    private static final int LF_VFUNCTAB = 0x1409;
    private static final int LF_FRIENDCLS = 0x140a;
    private static final int LF_VFUNCOFF = 0x140c;
    private static final int LF_ENUMERATE = 0x1502;
    private static final int LF_FRIENDFCN = 0x150c;
    private static final int LF_MEMBER = 0x150d;
    private static final int LF_STMEMBER = 0x150e;
    private static final int LF_METHOD = 0x150f;
    private static final int LF_NESTTYPE = 0x1510;
    private static final int LF_ONEMETHOD = 0x1511;
    private static final int LF_NESTTYPEEX = 0x1512;
    private static final int LF_BINTERFACE = 0x151a;

    /** Method properties that carry a vtable offset: introducing virtual and pure introducing virtual. */
    private static final int MPROP_INTRO = 4;
    private static final int MPROP_PURE_INTRO = 6;

    private FieldListReader() {
    }

    static TypeRecord.FieldList read(Cursor r) throws PdbException {
        List<TypeRecord.Member> members = new ArrayList<>();
        List<TypeRecord.Enumerator> enumerators = new ArrayList<>();
        int continuation = 0;
        while (r.remaining() > 0) {
            int at = r.position();
            int leaf = r.u16("member kind");
            switch (leaf) {
                case LF_MEMBER -> {
                    r.u16("attributes");
                    int type = r.i32("member type");
                    long offset = r.numeric("member offset");
                    members.add(new TypeRecord.Member(r.cstring("member name"), type, offset));
                }
                case LF_ENUMERATE -> {
                    r.u16("attributes");
                    long value = r.numeric("enumerator value");
                    enumerators.add(new TypeRecord.Enumerator(r.cstring("enumerator name"), value));
                }
                case LF_BCLASS, LF_BINTERFACE -> {
                    r.skip(6, "base class");
                    r.numeric("base class offset");
                }
                case LF_VBCLASS, LF_IVBCLASS -> {
                    r.skip(10, "virtual base class");
                    r.numeric("virtual base pointer offset");
                    r.numeric("virtual base offset");
                }
                case LF_INDEX -> {
                    r.u16("padding");
                    continuation = r.i32("continuation");
                }
                case LF_VFUNCTAB, LF_FRIENDCLS -> r.skip(6, "vtable or friend class");
                case LF_VFUNCOFF -> r.skip(10, "vtable function offset");
                case LF_STMEMBER, LF_NESTTYPE, LF_FRIENDFCN, LF_NESTTYPEEX -> {
                    r.skip(6, "static member, nested type or friend");
                    r.cstring("its name");
                }
                case LF_METHOD -> {
                    r.skip(6, "method");
                    r.cstring("method name");
                }
                case LF_ONEMETHOD -> {
                    int attributes = r.u16("method attributes");
                    r.i32("method type");
                    int mprop = (attributes >> 2) & 7;
                    if (mprop == MPROP_INTRO || mprop == MPROP_PURE_INTRO) {
                        r.i32("vtable offset");
                    }
                    r.cstring("method name");
                }
                default -> throw r.error("field list member at offset 0x" + Integer.toHexString(at)
                        + " has kind 0x" + Integer.toHexString(leaf) + ", which this reader does not know");
            }
            skipPadding(r);
        }
        return new TypeRecord.FieldList(List.copyOf(members), List.copyOf(enumerators), continuation);
    }

    private static void skipPadding(Cursor r) throws PdbException {
        while (r.remaining() > 0) {
            int at = r.position();
            int b = r.u8("padding");
            if (b < 0xf0) {
                r.seek(at);
                return;
            }
        }
    }
}
