package org.mxpolicy.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.mxpolicy.desired.MailClientSettings;
import org.mxpolicy.desired.MailClientSettings.MailServer;
import org.mxpolicy.desired.MailClientSettings.Protocol;
import org.mxpolicy.testing.GoldenFiles;
import org.w3c.dom.Document;

/**
 * The Autoconfig and Autodiscover documents of the example config; the golden files were
 * written from the format descriptions (Thunderbird's clientConfig 1.1, [MS-OXDSCLI]) and the
 * example's client_services, not copied from the output.
 */
class ClientConfigDocumentsGoldenTest {

    @Test
    void autoconfigOfTheExampleDomain() throws Exception {
        GoldenFiles.assertMatches(
                "serve/autoconfig-example.com.xml", ClientConfigDocuments.autoconfig(ExampleHosts.clientSettings()));
    }

    @Test
    void autodiscoverOfTheExampleDomainNamesTheAddressAsLogin() throws Exception {
        GoldenFiles.assertMatches(
                "serve/autodiscover-example.com.xml",
                ClientConfigDocuments.autodiscover(ExampleHosts.clientSettings(), "j.doe+lists@example.com"));
    }

    @Test
    void implicitTlsComesFirstThenImapBeforePop3() {
        MailClientSettings settings = MailClientSettings.of(
                "example.org",
                java.util.Map.of(
                        org.mxpolicy.record.ClientService.POP3, List.of(endpoint("pop.example.org", 110)),
                        org.mxpolicy.record.ClientService.IMAP, List.of(endpoint("imap.example.org", 143)),
                        org.mxpolicy.record.ClientService.POP3S, List.of(endpoint("pop.example.org", 995)),
                        org.mxpolicy.record.ClientService.SUBMISSION, List.of(endpoint("smtp.example.org", 587)),
                        org.mxpolicy.record.ClientService.SUBMISSIONS, List.of(endpoint("smtp.example.org", 465))));
        assertThat(settings.incoming())
                .containsExactly(
                        new MailServer(Protocol.POP3, "pop.example.org", 995, true),
                        new MailServer(Protocol.IMAP, "imap.example.org", 143, false),
                        new MailServer(Protocol.POP3, "pop.example.org", 110, false));
        assertThat(settings.outgoing())
                .containsExactly(
                        new MailServer(Protocol.SMTP, "smtp.example.org", 465, true),
                        new MailServer(Protocol.SMTP, "smtp.example.org", 587, false));
    }

    @Test
    void valuesAreXmlEscaped() throws Exception {
        // a local part may hold & and ' (RFC 5322 atext); they must not break the document
        String address = "o'neil&co@example.com";
        String xml = ClientConfigDocuments.autodiscover(ExampleHosts.clientSettings(), address);
        Document document = DocumentBuilderFactory.newInstance()
                .newDocumentBuilder()
                .parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
        assertThat(document.getElementsByTagName("LoginName").item(0).getTextContent())
                .isEqualTo(address);
        assertThat(xml).contains("o&apos;neil&amp;co@example.com");
    }

    @Test
    void aDomainWithoutServicesGetsAProviderWithoutServers() throws Exception {
        String xml = ClientConfigDocuments.autoconfig(MailClientSettings.of("example.org", java.util.Map.of()));
        Document document = DocumentBuilderFactory.newInstance()
                .newDocumentBuilder()
                .parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
        assertThat(document.getElementsByTagName("domain").item(0).getTextContent())
                .isEqualTo("example.org");
        assertThat(document.getElementsByTagName("incomingServer").getLength()).isZero();
    }

    private static org.mxpolicy.record.ClientServiceRecords.ServiceEndpoint endpoint(String host, int port) {
        return new org.mxpolicy.record.ClientServiceRecords.ServiceEndpoint(host, port);
    }
}
