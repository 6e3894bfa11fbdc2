package org.vestige.ui;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.vestige.core.evidence.Digests;
import org.vestige.core.evidence.EvidenceCase;
import org.vestige.core.evidence.EvidenceRecord;

/**
 * A case's report as one HTML page: the evidence with its sizes and digests, every analysis run with its
 * options, rows and the digest of what it returned (the audit log), the bookmarked findings with their tags
 * and notes, and the screenshots attached to the case (copied beside the page).
 *
 * @since 0.1
 */
public final class CaseReport {

    private CaseReport() {
    }

    /**
     * Writes the report of an open, kept case.
     *
     * @param file the HTML file; the attached screenshots go in a folder beside it
     */
    public static void write(Cases.OpenCase c, CaseStore store, Path file) throws IOException {
        StringBuilder h = new StringBuilder();
        h.append("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>Vestige case report: ")
                .append(esc(c.label())).append("</title>\n<style>body{font-family:sans-serif;margin:2em}"
                        + "table{border-collapse:collapse;margin-bottom:1.5em}td,th{border:1px solid #999;"
                        + "padding:3px 8px;text-align:left;vertical-align:top}td.long{overflow-wrap:anywhere}"
                        + "code{font-size:90%}"
                        + "img{max-width:100%;border:1px solid #999}</style></head><body>\n");
        h.append("<h1>Case ").append(esc(c.label())).append("</h1>\n<p>Report written ").append(Instant.now())
                .append("</p>\n");
        evidence(h, c.evidence());
        CaseStore.Kept kept = c.kept();
        List<CaseStore.Run> runs = kept == null ? List.of() : store.runs(kept);
        h.append("<h2>Analyses run</h2>\n");
        table(h, List.of("When", "Analysis", "Options", "Rows", "SHA-256 of the result kept"), runs.stream().map(
                r -> List.of(r.when().toString(), r.plugin(), r.options(), Integer.toString(r.rows()), r.sha256()))
                .toList());
        List<CaseStore.Bookmark> marks = kept == null ? List.of() : store.bookmarks(kept);
        h.append("<h2>Bookmarked findings</h2>\n");
        table(h, List.of("When", "Source", "Finding", "Tags", "Note"), marks.stream().map(b -> List.of(b.when()
                .toString(), b.source(), b.subject(), b.tags(), b.note())).toList());
        List<Path> shots = kept == null ? List.of() : store.attachments(kept);
        if (!shots.isEmpty()) {
            h.append("<h2>Screenshots</h2>\n");
            Path dir = file.resolveSibling(stem(file) + "-files");
            Files.createDirectories(dir);
            for (Path s : shots) {
                Files.copy(s, dir.resolve(s.getFileName()), StandardCopyOption.REPLACE_EXISTING);
                String src = dir.getFileName() + "/" + s.getFileName();
                h.append("<figure><img src=\"").append(esc(src)).append("\" alt=\"").append(esc(s.getFileName()
                        .toString())).append("\"><figcaption>").append(esc(s.getFileName().toString())).append(
                                "</figcaption></figure>\n");
            }
        }
        h.append("</body></html>\n");
        Files.writeString(file, h, StandardCharsets.UTF_8);
    }

    private static void evidence(StringBuilder h, EvidenceCase e) {
        h.append("<h2>Evidence</h2>\n");
        List<List<String>> rows = new ArrayList<>();
        rows.add(record("image", e.image()));
        for (EvidenceCase.SuppliedPagefile p : e.pagefiles()) {
            rows.add(record("page file " + p.slot(), p.record()));
        }
        table(h, List.of("Role", "File", "Size", "Modified", "MD5", "SHA-1", "SHA-256"), rows);
    }

    private static List<String> record(String role, EvidenceRecord r) {
        Digests d = r.hashes().orElse(null);
        String none = "not hashed";
        return List.of(role, r.path().toString(), Long.toString(r.size()), String.valueOf(r.modified()), d == null
                ? none : d.md5(), d == null ? none : d.sha1(), d == null ? none : d.sha256());
    }

    private static void table(StringBuilder h, List<String> header, List<List<String>> rows) {
        if (rows.isEmpty()) {
            h.append("<p>None.</p>\n");
            return;
        }
        h.append("<table><tr>");
        header.forEach(x -> h.append("<th>").append(esc(x)).append("</th>"));
        h.append("</tr>\n");
        for (List<String> r : rows) {
            h.append("<tr>");
            // digests and paths are one long word each: only they may break anywhere, so the table fits the page
            r.forEach(x -> h.append(x.matches("(?s).*\\S{25,}.*") ? "<td class=\"long\">" : "<td>").append(esc(x)
                    .replace("\n", "<br>")).append("</td>"));
            h.append("</tr>\n");
        }
        h.append("</table>\n");
    }

    private static String stem(Path file) {
        String n = file.getFileName().toString();
        int dot = n.lastIndexOf('.');
        return dot > 0 ? n.substring(0, dot) : n;
    }

    /** @return text as HTML shows it literally */
    static String esc(String s) {
        if (s == null) {
            return "";
        }
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
