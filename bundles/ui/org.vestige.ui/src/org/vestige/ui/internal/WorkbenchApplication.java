package org.vestige.ui.internal;

import org.eclipse.equinox.app.IApplication;
import org.eclipse.equinox.app.IApplicationContext;
import org.eclipse.swt.widgets.Display;
import org.eclipse.ui.IWorkbench;
import org.eclipse.ui.PlatformUI;
import org.eclipse.ui.application.IWorkbenchConfigurer;
import org.eclipse.ui.application.IWorkbenchWindowConfigurer;
import org.eclipse.ui.application.WorkbenchAdvisor;
import org.eclipse.ui.application.WorkbenchWindowAdvisor;

/** The Vestige workbench application. */
public final class WorkbenchApplication implements IApplication {

    @Override
    public Object start(IApplicationContext context) throws Exception {
        String[] args = (String[]) context.getArguments().get(IApplicationContext.APPLICATION_ARGS);
        Display display = PlatformUI.createDisplay();
        try {
            int rc = PlatformUI.createAndRunWorkbench(display, new Advisor(args == null ? new String[0] : args));
            return rc == PlatformUI.RETURN_RESTART ? IApplication.EXIT_RESTART : IApplication.EXIT_OK;
        } finally {
            display.dispose();
        }
    }

    @Override
    public void stop() {
        if (!PlatformUI.isWorkbenchRunning()) {
            return;
        }
        IWorkbench workbench = PlatformUI.getWorkbench();
        Display display = workbench.getDisplay();
        display.syncExec(() -> {
            if (!display.isDisposed()) {
                workbench.close();
            }
        });
    }

    /**
     * The workbench advisor. Command-line arguments {@code --evidence IMAGE} (with {@code --pagefile
     * [N=]FILE}...) open a case at start-up, {@code --run PLUGIN} then runs an analysis on it with
     * its default options, and {@code --show PID[@ADDRESS]} shows a process's memory (see {@link StartupShowIn}).
     */
    static final class Advisor extends WorkbenchAdvisor {

        private final String[] args;

        Advisor(String[] args) {
            this.args = args;
        }

        @Override
        public void postStartup() {
            reopenCases();
            java.nio.file.Path evidence = null;
            String run = null;
            StartupShowIn show = null;
            java.util.List<org.vestige.core.evidence.PagefileSpec> pagefiles = new java.util.ArrayList<>();
            for (int i = 0; i + 1 < args.length; i++) {
                switch (args[i]) {
                    case "--evidence" -> evidence = java.nio.file.Paths.get(args[++i]);
                    case "--pagefile" -> pagefiles.add(org.vestige.core.evidence.PagefileSpec.parse(args[++i]));
                    case "--run" -> run = args[++i];
                    case "--show" -> show = new StartupShowIn(args[++i]);
                    default -> {
                        // other arguments belong to the platform
                    }
                }
            }
            if (evidence == null) {
                return;
            }
            String plugin = run;
            org.vestige.ui.VestigeUi ui = org.vestige.ui.VestigeUi.get();
            org.eclipse.core.runtime.jobs.Job open = ui.cases().open(evidence, pagefiles, ui.preferences()
                    .caseSettings());
            StartupShowIn shown = show;
            if (plugin != null || shown != null) {
                Display display = PlatformUI.getWorkbench().getDisplay();
                open.addJobChangeListener(new org.eclipse.core.runtime.jobs.JobChangeAdapter() {
                    @Override
                    public void done(org.eclipse.core.runtime.jobs.IJobChangeEvent event) {
                        if (event.getResult().isOK()) {
                            display.asyncExec(() -> {
                                if (plugin != null) {
                                    runAtStartup(plugin);
                                }
                                if (shown != null) {
                                    var cases = org.vestige.ui.VestigeUi.get().cases().all();
                                    shown.show(PlatformUI.getWorkbench().getActiveWorkbenchWindow().getActivePage(),
                                            cases.get(cases.size() - 1));
                                }
                            });
                        }
                    }
                });
            }
        }

        /** Opens again the cases open when the workbench stopped, each with the results it showed. */
        private static void reopenCases() {
            Display display = PlatformUI.getWorkbench().getDisplay();
            org.vestige.ui.Cases cases = org.vestige.ui.VestigeUi.get().cases();
            java.util.Set<java.nio.file.Path> restored = java.util.concurrent.ConcurrentHashMap.newKeySet();
            for (org.eclipse.core.runtime.jobs.Job job : cases.reopen()) {
                job.addJobChangeListener(new org.eclipse.core.runtime.jobs.JobChangeAdapter() {
                    @Override
                    public void done(org.eclipse.core.runtime.jobs.IJobChangeEvent event) {
                        display.asyncExec(() -> {
                            var page = PlatformUI.getWorkbench().getActiveWorkbenchWindow().getActivePage();
                            for (org.vestige.ui.Cases.OpenCase c : cases.all()) {
                                if (c.kept() != null && restored.add(c.kept().folder())) {
                                    ResultsView.restoreTabs(page, c);
                                }
                            }
                        });
                    }
                });
            }
        }

        private static void runAtStartup(String pluginId) {
            var page = PlatformUI.getWorkbench().getActiveWorkbenchWindow().getActivePage();
            var plugin = org.vestige.ui.VestigeUi.get().extensions().plugin(pluginId).orElse(null);
            var cases = org.vestige.ui.VestigeUi.get().cases().all();
            if (plugin == null || cases.isEmpty() || !(page.findView(AnalysesView.ID) instanceof AnalysesView v)) {
                return;
            }
            v.run(cases.get(cases.size() - 1), plugin, org.vestige.core.plugin.Options.defaults(plugin.info()));
        }

        @Override
        public void initialize(IWorkbenchConfigurer configurer) {
            configurer.setSaveAndRestore(false);
        }

        @Override
        public String getInitialWindowPerspectiveId() {
            return ForensicsPerspective.ID;
        }

        @Override
        public WorkbenchWindowAdvisor createWorkbenchWindowAdvisor(IWorkbenchWindowConfigurer configurer) {
            return new WorkbenchWindowAdvisor(configurer) {
                @Override
                public void preWindowOpen() {
                    IWorkbenchWindowConfigurer c = getWindowConfigurer();
                    c.setInitialSize(new org.eclipse.swt.graphics.Point(1280, 800));
                    c.setShowCoolBar(false);
                    c.setShowStatusLine(true);
                    c.setShowProgressIndicator(true);
                    c.setTitle("Vestige — Memory Forensics");
                }
            };
        }
    }
}
