package org.vestige.plugin.windows;

import java.time.Instant;
import java.util.Set;

import org.vestige.core.plugin.AnalysisContext;
import org.vestige.core.plugin.AnalysisException;
import org.vestige.core.result.AnalysisResult;
import org.vestige.core.result.Column;
import org.vestige.core.result.Diagnostic;
import org.vestige.core.result.Row;
import org.vestige.windows.AddressOwners;
import org.vestige.windows.EndpointKind;
import org.vestige.windows.EndpointLayout;
import org.vestige.windows.EndpointReader;
import org.vestige.windows.NetEndpoint;
import org.vestige.windows.ProfileMatcher;
import org.vestige.windows.TcpipTables;
import org.vestige.windows.WindowsKernel;

/** The columns windows.netscan and windows.netstat share, and how an endpoint fills them. */
final class NetRows {

    static final Column<Long> VIRTUAL = Column.address("Offset(V)");
    static final Column<String> PROTOCOL = Column.string("Proto");
    static final Column<String> LOCAL = Column.string("LocalAddr");
    static final Column<Long> LOCAL_PORT = Column.integer("LocalPort");
    static final Column<String> FOREIGN = Column.string("ForeignAddr");
    static final Column<Long> FOREIGN_PORT = Column.integer("ForeignPort");
    static final Column<String> STATE = Column.string("State");
    static final Column<Long> PID = Column.pid("PID");
    static final Column<String> OWNER = Column.string("Owner");
    static final Column<Instant> CREATED = Column.time("Created");

    private NetRows() {
    }

    /**
     * Fills the shared columns of {@code row} from {@code e}; an owner that cannot be named is also a diagnostic
     * naming the endpoint.
     */
    static void fill(Row row, NetEndpoint e, AnalysisResult result) {
        if (e.address() != 0) {
            row.set(VIRTUAL, e.address());
        } else {
            row.missing(VIRTUAL, "its virtual address was not recovered: tcpip's tables do not reach it and it has"
                    + " no intact links back to it");
        }
        row.set(PROTOCOL, e.protocol()).set(LOCAL_PORT, (long) e.localPort());
        Selected.cell(row, LOCAL, e.localAddress());
        Selected.cell(row, FOREIGN, e.remoteAddress());
        if (e.remotePort() >= 0) {
            row.set(FOREIGN_PORT, (long) e.remotePort());
        } else {
            row.missing(FOREIGN_PORT, e.remoteAddress().reason());
        }
        if (e.state() >= 0) {
            row.set(STATE, NetEndpoint.stateName(e.state()));
        } else {
            row.missing(STATE, "UDP has no connection state");
        }
        Selected.cell(row, PID, e.owner().map(NetEndpoint.Owner::pid));
        Selected.cell(row, OWNER, e.owner().map(NetEndpoint.Owner::name));
        Selected.cell(row, CREATED, e.created());
        if (!e.owner().isPresent()) {
            result.add(new Diagnostic(Diagnostic.Severity.WARNING, e.kind().tag() + " at " + where(e), "the owner of "
                    + describe(e) + " cannot be named: " + e.owner().reason()));
        }
    }

    /** @return the endpoint's virtual address, else its physical one, as text */
    static String where(NetEndpoint e) {
        return e.address() != 0 ? "0x" + Long.toHexString(e.address()) : "physical 0x" + Long.toHexString(e
                .physical());
    }

    /** @return the endpoint as a diagnostic names it: "TCPv4 10.0.0.1:49152 -> 10.0.0.2:443" */
    static String describe(NetEndpoint e) {
        String remote = e.remoteAddress().isPresent() ? " -> " + e.remoteAddress().get() + ":" + e.remotePort() : "";
        return e.protocol() + " " + e.localAddress().orElse("?") + ":" + e.localPort() + remote;
    }

    /**
     * @return the endpoint decoder of the image's build
     * @throws AnalysisException when no endpoint layout covers the build
     */
    static EndpointReader reader(WindowsKernel kernel) throws AnalysisException {
        int build = kernel.discovery().build();
        if (EndpointLayout.forBuild(build, EndpointKind.TCP_ENDPOINT).isEmpty()) {
            throw new AnalysisException("no tcpip.sys endpoint layout is known for build " + build + " (known: "
                    + EndpointLayout.knownBuilds() + ")");
        }
        return new EndpointReader(kernel.discovery().kernel(), kernel.discovery().profile(), build);
    }

    /**
     * Walks tcpip's tables, with tcpip.sys's symbols from the installed profiles the session may use, and adds the
     * walk's warnings, and why it could not be done, to {@code result}.
     */
    static TcpipTables.Walk walk(AnalysisContext context, WindowsKernel kernel, EndpointReader reader,
            AnalysisResult result) {
        Set<String> excluded = context.settings().excludedProfiles();
        ProfileMatcher profiles = new ProfileMatcher(context.extensions().profiles().stream().filter(d -> !excluded
                .contains(d.id())).toList());
        TcpipTables.Walk walk = new TcpipTables(kernel.discovery().kernel(), reader, profiles).walk(AddressOwners
                .kernelModules(kernel).modules(), kernel.discovery().build());
        if (walk.unavailable() != null) {
            result.add(new Diagnostic(Diagnostic.Severity.WARNING, "tcpip.sys", "tcpip's tables were not walked: "
                    + walk.unavailable()));
        }
        walk.warnings().forEach(w -> result.add(new Diagnostic(Diagnostic.Severity.WARNING, "tcpip.sys", w)));
        return walk;
    }
}
