package org.mxpolicy.status;

import java.util.List;

/**
 * The page of one domain: its row of the overview, its own results and those of its MX hosts.
 *
 * @param hostResults per MX host, its results
 */
public record DomainView(DomainRow row, List<ExplainedResult> results, List<HostResults> hostResults) {

    /** The results of one MX host of the domain. */
    public record HostResults(String host, Level level, List<ExplainedResult> results) {}

    static DomainView of(StatusModel model, DomainRow row) {
        List<HostResults> hosts = row.mxHosts().stream()
                .map(h -> {
                    List<ExplainedResult> r = model.results(h);
                    Level worst = Level.OK;
                    for (ExplainedResult e : r) {
                        worst = worst.worse(e.level());
                    }
                    return new HostResults(h, r.isEmpty() ? Level.NONE : worst, r);
                })
                .toList();
        return new DomainView(row, model.results(row.name()), hosts);
    }
}
