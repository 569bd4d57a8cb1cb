package org.mxpolicy.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class AutodiscoverRequestTest {

    /** The request Outlook sends, as in [MS-OXDSCLI]. */
    private static final String OUTLOOK = """
            <?xml version="1.0" encoding="utf-8"?>
            <Autodiscover xmlns="http://schemas.microsoft.com/exchange/autodiscover/outlook/requestschema/2006">
              <Request>
                <EMailAddress>%s</EMailAddress>
                <AcceptableResponseSchema>http://schemas.microsoft.com/exchange/autodiscover/outlook/responseschema/2006a</AcceptableResponseSchema>
              </Request>
            </Autodiscover>
            """;

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static String address(String body) throws AutodiscoverRequest.BadRequest {
        return AutodiscoverRequest.emailAddress(bytes(body), "example.com");
    }

    @Test
    void readsTheAddressOfOutlooksRequest() throws Exception {
        assertThat(address(OUTLOOK.formatted("j.doe@example.com"))).isEqualTo("j.doe@example.com");
        assertThat(address(OUTLOOK.formatted(" J.Doe@Example.COM "))).isEqualTo("J.Doe@example.com");
    }

    @Test
    void anAddressOfAnotherDomainIsRefused() {
        assertThatThrownBy(() -> address(OUTLOOK.formatted("j.doe@example.net")))
                .isInstanceOf(AutodiscoverRequest.BadRequest.class)
                .hasMessageContaining("not in example.com");
        assertThatThrownBy(() -> address(OUTLOOK.formatted("j.doe@sub.example.com")))
                .isInstanceOf(AutodiscoverRequest.BadRequest.class);
    }

    @Test
    void malformedAddressesAreRefused() {
        for (String bad : new String[] {
            "",
            "example.com",
            "@example.com",
            "a b@example.com",
            "a..b@example.com",
            "\"quoted\"@example.com",
            "x".repeat(65) + "@example.com",
            "a@b@example.com"
        }) {
            assertThatThrownBy(() -> address(OUTLOOK.formatted(bad)))
                    .as(bad)
                    .isInstanceOf(AutodiscoverRequest.BadRequest.class);
        }
    }

    @Test
    void malformedXmlAndOtherDocumentsAreRefused() {
        assertThatThrownBy(() -> address("<Autodiscover><Request><EMailAddress>a@example.com</Request>"))
                .hasMessageContaining("not well-formed");
        assertThatThrownBy(() -> address("not xml at all")).hasMessageContaining("not well-formed");
        assertThatThrownBy(
                        () -> address("<Other><Request><EMailAddress>a@example.com</EMailAddress></Request></Other>"))
                .hasMessageContaining("root element");
        assertThatThrownBy(() -> address("<Autodiscover><Request/></Autodiscover>"))
                .hasMessageContaining("no Request/EMailAddress");
        assertThatThrownBy(
                        () -> address(
                                "<Autodiscover><Request><EMailAddress>a@<b/>example.com</EMailAddress></Request></Autodiscover>"))
                .isInstanceOf(AutodiscoverRequest.BadRequest.class);
    }

    @Test
    void anAddressOutsideRequestIsNotTaken() {
        assertThatThrownBy(() -> address("<Autodiscover><EMailAddress>a@example.com</EMailAddress></Autodiscover>"))
                .hasMessageContaining("no Request/EMailAddress");
    }

    @Test
    void externalEntitiesAreNeverResolved() {
        String xxe = """
                <?xml version="1.0"?>
                <!DOCTYPE Autodiscover [<!ENTITY who SYSTEM "file:///etc/hostname">]>
                <Autodiscover><Request><EMailAddress>&who;@example.com</EMailAddress></Request></Autodiscover>
                """;
        assertThatThrownBy(() -> address(xxe)).isInstanceOf(AutodiscoverRequest.BadRequest.class);
    }

    @Test
    void internalEntityExpansionIsRefused() {
        String laughs = """
                <?xml version="1.0"?>
                <!DOCTYPE Autodiscover [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>
                <Autodiscover><Request><EMailAddress>&b;@example.com</EMailAddress></Request></Autodiscover>
                """;
        assertThatThrownBy(() -> address(laughs)).isInstanceOf(AutodiscoverRequest.BadRequest.class);
        String dtdOnly = "<!DOCTYPE Autodiscover><Autodiscover><Request><EMailAddress>a@example.com</EMailAddress>"
                + "</Request></Autodiscover>";
        assertThatThrownBy(() -> address(dtdOnly)).hasMessageContaining("DTD");
    }

    @Test
    void aBodyOverTheLimitIsRefusedUnread() {
        String padding = " ".repeat(AutodiscoverRequest.MAX_BYTES);
        assertThatThrownBy(() -> address(OUTLOOK.formatted("a@example.com") + padding))
                .hasMessageContaining("over " + AutodiscoverRequest.MAX_BYTES + " bytes");
    }
}
