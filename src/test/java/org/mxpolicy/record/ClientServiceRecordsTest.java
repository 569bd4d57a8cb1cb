package org.mxpolicy.record;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.mxpolicy.record.ClientServiceRecords.ServiceEndpoint;
import org.mxpolicy.record.ClientServiceRecords.ServiceRecords;

class ClientServiceRecordsTest {

    private final List<ServiceRecords> records = ClientServiceRecords.build(
            "example.com",
            Map.of(
                    ClientService.IMAPS,
                            List.of(
                                    new ServiceEndpoint("imap.example.com", 993),
                                    new ServiceEndpoint("imap2.example.com", 993)),
                    ClientService.IMAP, List.of(new ServiceEndpoint("imap.example.com", 143)),
                    ClientService.SUBMISSIONS, List.of(new ServiceEndpoint("smtp.example.com", 465))));

    @Test
    void everyServiceGetsAnRrsetAtItsRfc6186Owner() {
        assertThat(records)
                .extracting(ServiceRecords::owner)
                .containsExactly(
                        "_submissions._tcp.example.com",
                        "_imaps._tcp.example.com",
                        "_pop3s._tcp.example.com",
                        "_submission._tcp.example.com",
                        "_imap._tcp.example.com",
                        "_pop3._tcp.example.com");
    }

    @Test
    void implicitTlsIsPreferredOverStarttls() {
        int worstImplicit = target(ClientService.IMAPS).stream()
                .mapToInt(SrvTarget::priority)
                .max()
                .orElseThrow();
        int bestStarttls = target(ClientService.IMAP).stream()
                .mapToInt(SrvTarget::priority)
                .min()
                .orElseThrow();

        assertThat(worstImplicit).isLessThan(bestStarttls);
        assertThat(target(ClientService.IMAPS))
                .containsExactly(
                        new SrvTarget(0, 0, 993, "imap.example.com."), new SrvTarget(1, 0, 993, "imap2.example.com."));
    }

    @Test
    void servicesNotConfiguredAreDecidedlyNotOffered() {
        assertThat(target(ClientService.POP3S)).containsExactly(new SrvTarget(0, 0, 0, "."));
        assertThat(target(ClientService.POP3).get(0).offered()).isFalse();
    }

    private List<SrvTarget> target(ClientService service) {
        return records.stream()
                .filter(r -> r.service() == service)
                .findFirst()
                .orElseThrow()
                .targets();
    }
}
