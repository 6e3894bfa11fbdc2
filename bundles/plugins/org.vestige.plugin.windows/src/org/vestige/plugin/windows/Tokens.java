package org.vestige.plugin.windows;

import java.util.List;
import java.util.NoSuchElementException;

import org.vestige.core.plugin.AnalysisException;
import org.vestige.core.result.AnalysisResult;
import org.vestige.core.result.Column;
import org.vestige.core.result.Diagnostic;
import org.vestige.core.result.Row;
import org.vestige.core.result.Unavailable;
import org.vestige.windows.Readout;
import org.vestige.windows.TokenReader;
import org.vestige.windows.WinProcess;
import org.vestige.windows.WinToken;
import org.vestige.windows.WindowsKernel;

/** What windows.getsids and windows.privileges share: the token reader and how an unreadable token shows. */
final class Tokens {

    private Tokens() {
    }

    /**
     * @throws AnalysisException naming the structures the profile lacks
     */
    static TokenReader reader(WindowsKernel kernel) throws AnalysisException {
        var why = TokenReader.unsupported(kernel.discovery().profile());
        if (why.isPresent()) {
            throw new AnalysisException(why.get() + "; give the kernel's symbol table (from its PDB) with --symbols");
        }
        try {
            return new TokenReader(kernel.discovery().kernel(), kernel.discovery().profile());
        } catch (NoSuchElementException e) {
            throw new AnalysisException("the profile cannot describe tokens: " + e.getMessage(), e);
        }
    }

    /**
     * Fills a row for a process whose token cannot be read. A token missing for another reason than a page
     * that is out of memory — a null or wild pointer, or a kernel address no page table maps (pool is always
     * mapped, resident or paged out) — is damage, and also a diagnostic.
     */
    static void unreadable(Row row, Readout<WinToken> token, List<Column<?>> columns, AnalysisResult result,
            WinProcess process) {
        Unavailable why = new Unavailable(token.reason(), token.cause());
        for (Column<?> c : columns) {
            row.setCell(c, why);
        }
        if (token.cause() == null || token.cause() instanceof org.vestige.core.layer.MissingCause.NotMapped) {
            result.add(new Diagnostic(Diagnostic.Severity.WARNING, process.toString(), token.reason()));
        }
    }
}
