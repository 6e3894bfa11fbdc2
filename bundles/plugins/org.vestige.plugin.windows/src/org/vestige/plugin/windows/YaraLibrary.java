package org.vestige.plugin.windows;

import java.util.ArrayList;
import java.util.List;

import com.sun.jna.Callback;
import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.PointerByReference;

/**
 * The part of libyara's C API (YARA 4.x, the library Debian ships as {@code libyara.so.9}) that compiling
 * rules and scanning memory needs, bound through JNA, with the layouts of the structures a match callback
 * reads ({@code yara/types.h} of libyara 4.2, x86-64).
 */
interface YaraLibrary extends Library {

    /** The names tried in order: Debian's runtime package ships only the versioned one. */
    List<String> NAMES = List.of("libyara.so.9", "yara", "libyara.so");

    int ERROR_SUCCESS = 0;
    int CALLBACK_CONTINUE = 0;
    int CALLBACK_MSG_RULE_MATCHING = 1;
    int YARA_ERROR_LEVEL_ERROR = 0;

    /** YR_RULE: identifier pointer at 8, strings pointer at 32. */
    long RULE_IDENTIFIER = 8;
    long RULE_STRINGS = 32;
    /** YR_STRING: flags at 0, idx at 4, identifier pointer at 48; 56 bytes each, a rule's strings one after another. */
    long STRING_FLAGS = 0;
    long STRING_IDX = 4;
    long STRING_IDENTIFIER = 48;
    long STRING_SIZE = 56;
    int STRING_FLAGS_LAST_IN_RULE = 0x1000;
    int STRING_FLAGS_PRIVATE = 0x100000;
    /** YR_SCAN_CONTEXT: the array of YR_MATCHES (one per string, by idx) at 160. */
    long CONTEXT_MATCHES = 160;
    /** YR_MATCHES: head pointer at 0, count at 16; 24 bytes each. */
    long MATCHES_SIZE = 24;
    long MATCHES_COUNT = 16;
    /** YR_MATCH: base 0, offset 8, match_length 16, data_length 20, data pointer 24, next pointer 40. */
    long MATCH_BASE = 0;
    long MATCH_OFFSET = 8;
    long MATCH_LENGTH = 16;
    long MATCH_DATA_LENGTH = 20;
    long MATCH_DATA = 24;
    long MATCH_NEXT = 40;

    int yr_initialize();

    int yr_compiler_create(PointerByReference compiler);

    void yr_compiler_destroy(Pointer compiler);

    void yr_compiler_set_callback(Pointer compiler, CompilerCallback callback, Pointer userData);

    int yr_compiler_add_string(Pointer compiler, String rules, String namespace);

    int yr_compiler_get_rules(Pointer compiler, PointerByReference rules);

    int yr_rules_scan_mem(Pointer rules, Pointer buffer, long size, int flags, ScanCallback callback,
            Pointer userData, int timeout);

    int yr_rules_destroy(Pointer rules);

    /** {@code YR_COMPILER_CALLBACK_FUNC}: one error or warning of a compilation. */
    interface CompilerCallback extends Callback {
        void invoke(int errorLevel, String fileName, int lineNumber, Pointer rule, String message, Pointer userData);
    }

    /** {@code YR_CALLBACK_FUNC}: one event of a scan. */
    interface ScanCallback extends Callback {
        int invoke(Pointer context, int message, Pointer messageData, Pointer userData);
    }

    /** The library, loaded and initialized once. */
    final class Holder {
        static final YaraLibrary INSTANCE;
        static final String FAILURE;

        static {
            YaraLibrary found = null;
            List<String> failures = new ArrayList<>();
            for (String name : NAMES) {
                try {
                    found = Native.load(name, YaraLibrary.class);
                    int status = found.yr_initialize();
                    if (status != ERROR_SUCCESS) {
                        failures.add(name + ": yr_initialize failed with error " + status);
                        found = null;
                        continue;
                    }
                    break;
                } catch (UnsatisfiedLinkError e) {
                    failures.add(name + ": " + e.getMessage().lines().findFirst().orElse(""));
                }
            }
            INSTANCE = found;
            FAILURE = found != null ? null : "libyara could not be loaded (install Debian's libyara9): " + String
                    .join("; ", failures);
        }

        private Holder() {
        }
    }
}
