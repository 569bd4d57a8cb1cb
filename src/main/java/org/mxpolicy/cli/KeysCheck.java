package org.mxpolicy.cli;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.mxpolicy.check.CheckReport;
import org.mxpolicy.check.CheckResult;
import org.mxpolicy.config.KeyPolicy;
import org.mxpolicy.config.ZoneSettings;
import org.mxpolicy.files.ConfigFile;
import org.mxpolicy.files.KeyDirectory;
import org.mxpolicy.finding.InvalidInputException;
import org.mxpolicy.keyroll.KeyCheck;
import org.xbill.DNS.Name;

/** The key policy's findings ({@link KeyCheck}) added to a check's report, for zones with {@code dnssec}. */
final class KeysCheck {

    private KeysCheck() {}

    static CheckReport added(CheckReport report, ConfigFile file, Instant now) throws InvalidInputException {
        List<CheckResult> results = new ArrayList<>(report.results());
        for (ZoneSettings zone : file.config().zones().values()) {
            if (zone.signing().isEmpty() || zone.signing().get().keyPolicy().isEmpty()) {
                continue;
            }
            KeyPolicy policy = zone.signing().get().keyPolicy().get();
            // the .key files only: a check reads no private key
            KeyDirectory keys = new KeyDirectory(
                    file.baseDir().resolve(zone.signing().get().keys().path()));
            results.addAll(KeyCheck.results(
                    zone.name(), policy, keys.loadPublic(Name.fromConstantString(zone.name() + ".")), now));
        }
        if (results.size() == report.results().size()) {
            return report;
        }
        return new CheckReport(
                report.startedAt(), report.took(), results, report.plans(), report.expiries(), report.reports());
    }
}
