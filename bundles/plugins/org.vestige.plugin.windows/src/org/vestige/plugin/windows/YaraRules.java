package org.vestige.plugin.windows;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.PointerByReference;

/**
 * YARA rules compiled by libyara, the reference engine, so rules behave exactly as they do in every other
 * tool analysts run them in. {@link #scan} reports every occurrence of every string of every rule that
 * matched a buffer, as libyara records them.
 */
final class YaraRules implements AutoCloseable {

    /** Rule text libyara refused: each error with its line. */
    static final class SyntaxError extends Exception {

        private static final long serialVersionUID = 1L;

        SyntaxError(String message) {
            super(message);
        }
    }

    /**
     * One occurrence of a rule's string in a scanned buffer; a rule that matched without any string occurrence
     * (its condition needs none) gives one with {@code string} null.
     *
     * @param offset where it starts in the buffer
     * @param length how many bytes matched
     * @param data   the first of those bytes, as many as libyara keeps (512 by default)
     */
    record Match(String rule, String string, long offset, int length, byte[] data) {
    }

    private final YaraLibrary yara;
    private Pointer rules;

    private YaraRules(YaraLibrary yara, Pointer rules) {
        this.yara = yara;
        this.rules = rules;
    }

    /** @return why libyara cannot be used, or null when it can */
    static String unavailable() {
        return YaraLibrary.Holder.FAILURE;
    }

    /** Rule text and what it is called in messages (a file's name, "--rule"). */
    record Source(String name, String text) {
    }

    /**
     * @throws SyntaxError           naming the source, the line and libyara's message for each error
     * @throws IllegalStateException when libyara cannot be loaded
     */
    static YaraRules compile(List<Source> sources) throws SyntaxError {
        YaraLibrary yara = YaraLibrary.Holder.INSTANCE;
        if (yara == null) {
            throw new IllegalStateException(unavailable());
        }
        PointerByReference ref = new PointerByReference();
        if (yara.yr_compiler_create(ref) != YaraLibrary.ERROR_SUCCESS) {
            throw new IllegalStateException("libyara could not create a compiler (out of memory)");
        }
        Pointer compiler = ref.getValue();
        List<String> errors = new ArrayList<>();
        String[] current = {""};
        YaraLibrary.CompilerCallback callback = (level, file, line, rule, message, user) -> {
            if (level == YaraLibrary.YARA_ERROR_LEVEL_ERROR) {
                errors.add(current[0] + " line " + line + ": " + message);
            }
        };
        try {
            yara.yr_compiler_set_callback(compiler, callback, null);
            for (Source s : sources) {
                current[0] = s.name();
                int failed = yara.yr_compiler_add_string(compiler, s.text(), null);
                if (failed > 0 || !errors.isEmpty()) {
                    throw new SyntaxError(errors.isEmpty() ? s.name() + ": " + failed + " errors" : String.join(
                            "; ", errors));
                }
            }
            PointerByReference compiled = new PointerByReference();
            int status = yara.yr_compiler_get_rules(compiler, compiled);
            if (status != YaraLibrary.ERROR_SUCCESS) {
                throw new SyntaxError("libyara could not build the rules (error " + status + ")");
            }
            return new YaraRules(yara, compiled.getValue());
        } finally {
            yara.yr_compiler_destroy(compiler);
        }
    }

    /**
     * Scans {@code length} bytes of {@code buffer}.
     *
     * @return libyara's status: 0, or an error code such as 30 (a string matched more than a million times)
     */
    int scan(Memory buffer, long length, Consumer<Match> sink) {
        RuntimeException[] failure = {null};
        YaraLibrary.ScanCallback callback = (context, message, data, user) -> {
            if (message == YaraLibrary.CALLBACK_MSG_RULE_MATCHING && failure[0] == null) {
                try {
                    matched(context, data, length, sink);
                } catch (RuntimeException e) {
                    failure[0] = e;
                }
            }
            return YaraLibrary.CALLBACK_CONTINUE;
        };
        int status = yara.yr_rules_scan_mem(rules, buffer, length, 0, callback, null, 0);
        if (failure[0] != null) {
            throw failure[0];
        }
        return status;
    }

    /** Reports a matched rule's string occurrences from the scan context's match lists. */
    private static void matched(Pointer context, Pointer rule, long length, Consumer<Match> sink) {
        String name = rule.getPointer(YaraLibrary.RULE_IDENTIFIER).getString(0);
        Pointer strings = rule.getPointer(YaraLibrary.RULE_STRINGS);
        Pointer lists = context.getPointer(YaraLibrary.CONTEXT_MATCHES);
        boolean any = false;
        for (long i = 0; strings != null; i++) {
            Pointer s = strings.share(i * YaraLibrary.STRING_SIZE);
            int flags = s.getInt(YaraLibrary.STRING_FLAGS);
            if ((flags & YaraLibrary.STRING_FLAGS_PRIVATE) == 0) {
                String id = s.getPointer(YaraLibrary.STRING_IDENTIFIER).getString(0);
                Pointer list = lists.share(s.getInt(YaraLibrary.STRING_IDX) * YaraLibrary.MATCHES_SIZE);
                int count = list.getInt(YaraLibrary.MATCHES_COUNT);
                Pointer m = list.getPointer(0);
                for (int n = 0; n < count && m != null; n++) {
                    long offset = m.getLong(YaraLibrary.MATCH_OFFSET);
                    int matched = m.getInt(YaraLibrary.MATCH_LENGTH);
                    int kept = m.getInt(YaraLibrary.MATCH_DATA_LENGTH);
                    if (m.getLong(YaraLibrary.MATCH_BASE) != 0 || offset < 0 || offset + matched > length
                            || kept < 0 || kept > matched) {
                        throw new IllegalStateException("libyara's match records are not laid out as in libyara"
                                + " 4.2 (soname libyara.so.9): rule " + name + " string " + id);
                    }
                    sink.accept(new Match(name, id, offset, matched, m.getPointer(YaraLibrary.MATCH_DATA)
                            .getByteArray(0, kept)));
                    any = true;
                    m = m.getPointer(YaraLibrary.MATCH_NEXT);
                }
            }
            if ((flags & YaraLibrary.STRING_FLAGS_LAST_IN_RULE) != 0) {
                break;
            }
        }
        if (!any) {
            sink.accept(new Match(name, null, 0, 0, new byte[0]));
        }
    }

    @Override
    public void close() {
        if (rules != null) {
            yara.yr_rules_destroy(rules);
            rules = null;
        }
    }
}
