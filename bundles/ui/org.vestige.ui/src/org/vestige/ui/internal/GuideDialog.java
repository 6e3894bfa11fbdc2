package org.vestige.ui.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.Enumeration;

import org.eclipse.jface.dialogs.IDialogConstants;
import org.eclipse.jface.dialogs.TitleAreaDialog;
import org.eclipse.jface.resource.JFaceResources;
import org.eclipse.swt.SWT;
import org.eclipse.swt.custom.SashForm;
import org.eclipse.swt.custom.StyleRange;
import org.eclipse.swt.custom.StyledText;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Control;
import org.eclipse.swt.widgets.List;
import org.eclipse.swt.widgets.Shell;
import org.osgi.framework.Bundle;
import org.osgi.framework.FrameworkUtil;

/**
 * Help &gt; Vestige Guide: the project's documentation (the README and every page of {@code docs/}), shipped in
 * this bundle by the build, readable in the workbench without a browser or a network. Headings show in bold and
 * code blocks and tables in the text font; the rest is the Markdown as written, which reads as plain text.
 */
public final class GuideDialog extends TitleAreaDialog {

    /** One page of the guide: its title (the first heading) and its Markdown. */
    public record Page(String title, String file, String markdown) {
    }

    /** Where the build puts the pages in this bundle. */
    static final String FOLDER = "docs";

    private final java.util.List<Page> pages;
    private List list;
    private StyledText text;

    public GuideDialog(Shell shell, java.util.List<Page> pages) {
        super(shell);
        this.pages = java.util.List.copyOf(pages);
        setShellStyle(getShellStyle() | SWT.RESIZE | SWT.MAX);
    }

    /** @return the pages shipped in this bundle: the README first, then the tutorial, then by title */
    public static java.util.List<Page> shipped() {
        Bundle bundle = FrameworkUtil.getBundle(GuideDialog.class);
        Enumeration<URL> entries = bundle == null ? null : bundle.findEntries(FOLDER, "*.md", false);
        java.util.List<Page> found = new ArrayList<>();
        for (URL url : entries == null ? java.util.List.<URL>of() : Collections.list(entries)) {
            try (InputStream in = url.openStream()) {
                String markdown = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                String path = url.getPath();
                found.add(new Page(title(markdown, path), path.substring(path.lastIndexOf('/') + 1), markdown));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the guide's page " + url, e);
            }
        }
        found.sort(Comparator.comparingInt((Page p) -> p.file().equals("README.md") ? 0 : p.file().startsWith(
                "tutorial") ? 1 : 2).thenComparing(Page::title));
        return found;
    }

    private static String title(String markdown, String path) {
        for (String line : markdown.split("\n", 40)) {
            if (line.startsWith("# ")) {
                return line.substring(2).strip();
            }
        }
        return path.substring(path.lastIndexOf('/') + 1);
    }

    @Override
    protected Control createDialogArea(Composite parent) {
        setTitle("Vestige Guide");
        setMessage(pages.isEmpty() ? "No pages of the guide are installed with this workbench."
                : pages.size() + " pages: the README and the docs folder of this version.");
        Composite area = (Composite) super.createDialogArea(parent);
        SashForm sash = AnalysesReferenceDialog.listAndPage(area, 1000, 560);
        list = new List(sash, SWT.BORDER | SWT.SINGLE | SWT.V_SCROLL);
        pages.forEach(p -> list.add(p.title()));
        text = new StyledText(sash, SWT.BORDER | SWT.MULTI | SWT.READ_ONLY | SWT.WRAP | SWT.V_SCROLL);
        text.setMargins(8, 8, 8, 8);
        sash.setWeights(3, 7);
        list.addListener(SWT.Selection, e -> show(list.getSelectionIndex()));
        if (!pages.isEmpty()) {
            list.select(0);
            show(0);
        }
        return area;
    }

    @Override
    protected void createButtonsForButtonBar(Composite parent) {
        createButton(parent, IDialogConstants.OK_ID, IDialogConstants.CLOSE_LABEL, true);
    }

    /** Shows the page of this title, as selecting it does. */
    public void select(String title) {
        for (int i = 0; i < pages.size(); i++) {
            if (pages.get(i).title().equals(title)) {
                list.select(i);
                show(i);
                return;
            }
        }
        throw new IllegalArgumentException("the guide has no page " + title);
    }

    /** @return the titles listed, in their order */
    public java.util.List<String> listed() {
        return java.util.List.of(list.getItems());
    }

    /** @return the text shown */
    public String shown() {
        return text.getText();
    }

    private void show(int index) {
        if (index < 0) {
            return;
        }
        java.util.List<StyleRange> styles = new ArrayList<>();
        text.setText(render(pages.get(index).markdown(), styles));
        text.setStyleRanges(styles.toArray(StyleRange[]::new));
        text.setTopPixel(0);
    }

    /**
     * @return the Markdown with heading marks and code fences taken out; headings are styled bold, code blocks
     *         and tables in the text font
     */
    private String render(String markdown, java.util.List<StyleRange> styles) {
        StringBuilder out = new StringBuilder();
        boolean code = false;
        for (String line : markdown.split("\r?\n", -1)) {
            if (line.startsWith("```")) {
                code = !code;
                continue;
            }
            int start = out.length();
            if (!code && line.startsWith("#")) {
                String heading = line.replaceFirst("^#+\\s*", "");
                out.append(heading).append('\n');
                StyleRange s = new StyleRange(start, heading.length(), null, null, SWT.BOLD);
                styles.add(s);
            } else {
                out.append(line).append('\n');
                if (code || line.startsWith("|") || line.startsWith("    ")) {
                    StyleRange s = new StyleRange(start, line.length(), null, null);
                    s.font = JFaceResources.getTextFont();
                    styles.add(s);
                }
            }
        }
        return out.toString();
    }
}
