package org.mxpolicy.status;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.mxpolicy.finding.InvalidInputException;

/** The rows, cells and pages built from the small check run of the fixture. */
class StatusModelTest {

    @Test
    void eachDomainIsJudgedByItsOwnResultsAndThoseOfItsMxHosts() throws Exception {
        StatusModel model = StatusFixtures.small();
        DomainRow com = model.row("example.com").orElseThrow();
        assertThat(com.level()).isEqualTo(Level.OK);
        assertThat(com.mx()).isEqualTo(new Cell(Level.OK, "1 MX, DANE verified"));
        assertThat(com.mtaSts()).isEqualTo(new Cell(Level.OK, "enforce id 20261201T000000"));
        assertThat(com.served()).isEqualTo("yes");
        assertThat(com.tlsRpt().level()).isEqualTo(Level.OK);
        assertThat(com.worst()).isEmpty();

        DomainRow net = model.row("example.net").orElseThrow();
        assertThat(net.level()).isEqualTo(Level.CRITICAL);
        // mx2's address result is filed under the host and so under its domain
        assertThat(net.mx()).isEqualTo(new Cell(Level.CRITICAL, "dane.live-unmatched"));
        assertThat(net.mtaSts()).isEqualTo(new Cell(Level.CRITICAL, "mta-sts.policy-differs"));
        assertThat(net.served()).isEqualTo("no");
        assertThat(net.tlsRpt()).isEqualTo(Cell.NONE);
        assertThat(net.worst()).startsWith("mx2.example.net 198.51.100.7:25: no published TLSA record");

        DomainRow org = model.row("example.org").orElseThrow();
        assertThat(org.level()).isEqualTo(Level.WARNING);
        assertThat(org.mtaSts()).isEqualTo(Cell.NONE);
        assertThat(org.served()).isEqualTo("n/a");
        assertThat(org.tlsRpt()).isEqualTo(new Cell(Level.WARNING, "tlsrpt.missing"));

        assertThat(model.counts())
                .containsEntry(Level.CRITICAL, 1)
                .containsEntry(Level.WARNING, 1)
                .containsEntry(Level.OK, 1)
                .containsEntry(Level.UNKNOWN, 0);
        assertThat(model.domainsOf("mx1.example.com")).containsExactly("example.com", "example.org");
        // the TLSA RRset's signature is filed under its host
        assertThat(model.expiries("mx1.example.com"))
                .extracting(e -> e.kind())
                .containsExactly("signature", "certificate");
        assertThat(model.snapshot().pendingChanges()).isEqualTo(1);
    }

    @Test
    void theOverviewIsWorstFirstByDefaultAndSortsFiltersAndPagesByItsParameters() throws Exception {
        StatusModel model = StatusFixtures.small();
        assertThat(OverviewPage.of(model, OverviewQuery.defaults()).rows())
                .extracting(DomainRow::name)
                .containsExactly("example.net", "example.org", "example.com");
        assertThat(page(model, Map.of("sort", "name")).rows())
                .extracting(DomainRow::name)
                .containsExactly("example.com", "example.net", "example.org");
        assertThat(page(model, Map.of("sort", "name", "order", "desc")).rows())
                .extracting(DomainRow::name)
                .containsExactly("example.org", "example.net", "example.com");
        assertThat(page(model, Map.of("q", "NE")).rows())
                .extracting(DomainRow::name)
                .containsExactly("example.net");
        assertThat(page(model, Map.of("level", "warning")).rows())
                .extracting(DomainRow::name)
                .containsExactly("example.org");

        OverviewPage second = page(model, Map.of("sort", "name", "size", "2", "page", "2"));
        assertThat(second.rows()).extracting(DomainRow::name).containsExactly("example.org");
        assertThat(second.pages()).isEqualTo(2);
        assertThat(second.matched()).isEqualTo(3);
        assertThat(second.previous()).isEqualTo("?sort=name&order=asc&size=2&page=1");
        assertThat(second.next()).isEmpty();
        // a page past the end shows the last one; nonsense falls back to the defaults
        assertThat(page(model, Map.of("sort", "name", "size", "2", "page", "99"))
                        .page())
                .isEqualTo(2);
        OverviewPage nonsense = page(model, Map.of("sort", "<x>", "size", "-5", "page", "abc", "level", "bad"));
        assertThat(nonsense.query().sort()).isEqualTo(OverviewQuery.Column.STATUS);
        assertThat(nonsense.query().size()).isEqualTo(1);
        assertThat(nonsense.page()).isEqualTo(1);
        assertThat(nonsense.query().level()).isEmpty();
    }

    @Test
    void aFilterValueIsUrlEncodedInTheLinks() throws Exception {
        OverviewPage page = page(StatusFixtures.small(), Map.of("q", "a&b=<c>"));
        assertThat(page.columns().get(0).href()).isEqualTo("?q=a%26b%3D%3Cc%3E&sort=name&order=asc&size=100");
    }

    @Test
    void theDataIsStaleWhenOlderThanAllowed() {
        Instant gathered = Instant.parse("2026-12-07T22:00:00Z");
        Freshness fresh = Freshness.of(gathered, gathered.plus(Duration.ofMinutes(19)), Duration.ofMinutes(20));
        assertThat(fresh.stale()).isFalse();
        assertThat(fresh.age()).isEqualTo("19 min");
        assertThat(fresh.gatheredAt()).isEqualTo("2026-12-07 22:00 UTC");
        Freshness stale = Freshness.of(gathered, gathered.plus(Duration.ofHours(26)), Duration.ofMinutes(20));
        assertThat(stale.stale()).isTrue();
        assertThat(stale.age()).isEqualTo("1 d 2 h");
        assertThat(stale.staleAfter()).isEqualTo("20 min");
    }

    @Test
    void anOlderFileWithoutDomainsTellsTheDomainsFromTheSubjectsOfDomainResults() throws Exception {
        String json = "{\"started_at\":\"2026-12-07T22:00:00Z\",\"results\":["
                + "{\"status\":\"OK\",\"id\":\"mta-sts.ok\",\"subject\":\"example.com\",\"message\":\"m\"},"
                + "{\"status\":\"WARNING\",\"id\":\"tlsrpt.missing\",\"subject\":\"example.org\",\"message\":\"m\"},"
                + "{\"status\":\"CRITICAL\",\"id\":\"tlsa.missing\",\"subject\":\"mx1.example.com\",\"message\":\"m\"}"
                + "],\"plans\":[],\"expiries\":[]}";
        StatusModel model = new StatusModel(read(json));
        assertThat(model.rows()).extracting(DomainRow::name).containsExactly("example.com", "example.org");
        assertThat(model.row("example.com").orElseThrow().mx().text()).isEqualTo("MX hosts not in this file");
        assertThat(model.knowsHost("mx1.example.com")).isTrue();
        assertThat(model.snapshot().status().label()).isEqualTo("CRITICAL");
    }

    @Test
    void aFileThatIsNotACheckRunIsOneFindingWithItsPosition() {
        assertThatThrownBy(() -> read("{\"started_at\": \"2026-12-07T22:00:00Z\",\n \"results\": [ }"))
                .isInstanceOf(InvalidInputException.class)
                .satisfies(e -> assertThat(
                                ((InvalidInputException) e).findings().get(0).format())
                        .isEqualTo("check.json:2:15: error: not JSON: Unexpected close marker '}': expected ']'"
                                + " [status.check-json]"));
        assertThatThrownBy(() -> read("{\"certificates\": []}"))
                .satisfies(e -> assertThat(
                                ((InvalidInputException) e).findings().get(0).format())
                        .isEqualTo("check.json: error: not the JSON of mxpolicy check: no started_at and results;"
                                + " write it with mxpolicy check --format json -o FILE [status.check-json]"));
        assertThatThrownBy(() -> read("{\"started_at\":\"2026-12-07T22:00:00Z\",\"results\":[{\"status\":\"FINE\","
                        + "\"id\":\"x\",\"subject\":\"s\",\"message\":\"m\"}]}"))
                .satisfies(e -> assertThat(
                                ((InvalidInputException) e).findings().get(0).message())
                        .isEqualTo("not the JSON of mxpolicy check: unknown status \"FINE\""));
    }

    @Test
    void anElementThatIsNotAResultOrAnExpiryIsNamedByWhereItStarts() {
        assertThatThrownBy(() -> read("{\"started_at\":\"2026-12-07T22:00:00Z\",\n\"results\": [\n"
                        + "  {\"status\":\"OK\",\"id\":\"x\",\"subject\":\"s\",\"message\":\"m\"},\n"
                        + "  {\"status\":\"OK\",\"id\":\"x\",\"subject\":\"s\"}]}"))
                .satisfies(e -> assertThat(
                                ((InvalidInputException) e).findings().get(0).format())
                        .isEqualTo("check.json:4:3: error: not the JSON of mxpolicy check: a member has no text"
                                + " field \"message\" [status.check-json]"));
        assertThatThrownBy(() -> read("{\"started_at\":\"2026-12-07T22:00:00Z\",\"results\":[],\n\"expiries\": ["
                        + "{\"kind\":\"k\",\"subject\":\"s\",\"source\":\"x\",\"not_after\":\"soon\"}]}"))
                .satisfies(e -> assertThat(((InvalidInputException) e)
                                .findings()
                                .get(0)
                                .position()
                                .toString())
                        .isEqualTo("check.json:2:14"));
    }

    private static CheckSnapshot read(String json) throws InvalidInputException {
        return CheckJson.read(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)), "check.json");
    }

    private static OverviewPage page(StatusModel model, Map<String, String> params) {
        java.util.Map<String, List<String>> multi = new java.util.HashMap<>();
        params.forEach((k, v) -> multi.put(k, List.of(v)));
        return OverviewPage.of(model, OverviewQuery.of(multi));
    }
}
