package org.vestige.plugin.profiles;

import java.util.Comparator;
import java.util.List;

import org.eclipse.core.runtime.IProgressMonitor;
import org.vestige.core.plugin.Analysis;
import org.vestige.core.plugin.AnalysisContext;
import org.vestige.core.registry.ProfileDescriptor;
import org.vestige.core.result.AnalysisResult;
import org.vestige.core.result.Column;
import org.vestige.core.result.ResultTable;
import org.vestige.core.result.Row;

/**
 * {@code profiles.list}: the installed kernel profiles and drivers' symbol tables, read from the bundles'
 * {@code plugin.xml} alone (no profile file is opened): per build, each kernel or driver with its PDB identity and
 * revision (a driver whose build is not recorded first, as build 0), the types-only layouts,
 * how each is stored and where its data came from. Needs no evidence.
 *
 * @since 0.1
 */
public final class ProfilesList implements Analysis {

    public static final Column<Long> BUILD = Column.integer("Build");
    public static final Column<String> PROFILE = Column.string("Profile");
    public static final Column<String> PDB = Column.string("PDB");
    public static final Column<Long> REVISION = Column.integer("Revision");
    public static final Column<String> STORAGE = Column.string("Storage");
    public static final Column<String> BUNDLE = Column.string("Bundle");
    public static final Column<String> ORIGIN = Column.string("Origin");

    @Override
    public AnalysisResult run(AnalysisContext context, IProgressMonitor monitor) {
        String build = context.options().string("build").orElse(null);
        ResultTable table = ResultTable.of(BUILD, PROFILE, PDB, REVISION, STORAGE, BUNDLE, ORIGIN);
        Comparator<ProfileDescriptor> order = Comparator.comparingInt(ProfileDescriptor::build);
        order = order.thenComparing((ProfileDescriptor d) -> d.pdbGuid() == null).thenComparingInt(
                ProfileDescriptor::revision).thenComparing(ProfileDescriptor::id);
        List<ProfileDescriptor> installed = context.extensions().profiles().stream().filter(d -> build == null || build
                .equals(String.valueOf(d.build()))).sorted(order).toList();
        for (ProfileDescriptor d : installed) {
            Row row = table.addRow().set(BUILD, (long) d.build()).set(PROFILE, d.id()).set(BUNDLE, d.contributor())
                    .set(STORAGE, d.types() == null ? d.file() : d.file() + " over " + d.types());
            if (d.pdbGuid() == null) {
                row.missing(PDB, "types-only layout");
            } else {
                row.set(PDB, d.pdbName() + "/" + d.pdbGuid() + "-" + d.pdbAge());
            }
            if (d.revision() > 0) {
                row.set(REVISION, (long) d.revision());
            } else {
                row.missing(REVISION, "not recorded");
            }
            if (d.origin() != null) {
                row.set(ORIGIN, d.origin());
            } else {
                row.missing(ORIGIN, "not recorded");
            }
        }
        return new AnalysisResult(context.plugin().id(), table);
    }
}
