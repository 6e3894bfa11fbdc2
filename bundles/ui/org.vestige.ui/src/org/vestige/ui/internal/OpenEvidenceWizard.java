package org.vestige.ui.internal;

import java.nio.file.Path;
import java.util.List;

import org.eclipse.core.runtime.jobs.Job;
import org.eclipse.jface.wizard.Wizard;
import org.vestige.core.evidence.FormatHandle;
import org.vestige.ui.Cases;
import org.vestige.ui.WorkbenchPreferences;

/**
 * File &gt; Open Evidence...: one page with the image (every format's probe answering as the file is
 * chosen), the paging files taken with it and the case's settings. Finishing schedules the job that
 * opens the case; the Evidence view shows it when it is open.
 */
public final class OpenEvidenceWizard extends Wizard {

    private final EvidencePage page;
    private final Cases cases;
    private Job job;

    public OpenEvidenceWizard(Cases cases, List<? extends FormatHandle> formats, WorkbenchPreferences preferences,
            Path initialImage) {
        this.cases = cases;
        this.page = new EvidencePage(formats, preferences, initialImage);
        setWindowTitle("Open Evidence");
    }

    @Override
    public void addPages() {
        addPage(page);
    }

    @Override
    public boolean performFinish() {
        job = cases.open(page.image(), page.pagefiles(), page.settings());
        return true;
    }

    /** @return the page, for the handler and tests */
    public EvidencePage page() {
        return page;
    }

    /** @return the job opening the case, once the wizard has finished */
    public Job job() {
        return job;
    }
}
