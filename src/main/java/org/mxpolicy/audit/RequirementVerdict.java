package org.mxpolicy.audit;

import java.util.Objects;
import org.mxpolicy.scan.Verdict;

/**
 * One row of a domain's table: a TR-03108 requirement and the verdict of all its findings.
 *
 * @param requirement the requirement
 * @param verdict the worst of its findings: fail, then unknown, then warn, then pass; not
 *     applicable when nothing was judged
 * @param evidence the findings that decided it, each with where it was seen
 */
public record RequirementVerdict(Requirement requirement, Verdict verdict, String evidence) {

    public RequirementVerdict {
        Objects.requireNonNull(requirement, "requirement");
        Objects.requireNonNull(verdict, "verdict");
        Objects.requireNonNull(evidence, "evidence");
    }
}
