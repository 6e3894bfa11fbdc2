package org.vestige.ui.internal;

import org.eclipse.ui.IFolderLayout;
import org.eclipse.ui.IPageLayout;
import org.eclipse.ui.IPerspectiveFactory;

/** The "Memory Forensics" perspective: evidence and analyses on the left, results in the middle, progress below. */
public final class ForensicsPerspective implements IPerspectiveFactory {

    public static final String ID = "org.vestige.ui.perspective";

    @Override
    public void createInitialLayout(IPageLayout layout) {
        layout.setEditorAreaVisible(false);
        String editor = layout.getEditorArea();
        IFolderLayout left = layout.createFolder("left", IPageLayout.LEFT, 0.30f, editor);
        left.addView(EvidenceView.ID);
        IFolderLayout lowerLeft = layout.createFolder("lowerLeft", IPageLayout.BOTTOM, 0.45f, "left");
        lowerLeft.addView(AnalysesView.ID);
        IFolderLayout center = layout.createFolder("center", IPageLayout.RIGHT, 0.70f, editor);
        center.addPlaceholder(ResultsView.ID + ":*");
        // two results side by side need the width and height of the results, not the progress strip
        center.addPlaceholder(CompareView.ID + ":*");
        center.addView(ResultsView.ID);
        IFolderLayout bottom = layout.createFolder("bottom", IPageLayout.BOTTOM, 0.86f, "center");
        bottom.addView(IPageLayout.ID_PROGRESS_VIEW);
    }
}
