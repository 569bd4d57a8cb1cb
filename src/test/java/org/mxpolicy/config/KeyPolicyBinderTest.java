package org.mxpolicy.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.StringReader;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.mxpolicy.dnssec.DnssecAlgorithm;
import org.mxpolicy.finding.Finding;
import org.mxpolicy.finding.InvalidInputException;

class KeyPolicyBinderTest {

    private static final String DOMAINS = """
            domains:
              - name: example.com
                mx: [{ host: mx1.mail.example.com, cert: mx1.pem }]
            """;

    private static ProviderConfig load(String zones) throws InvalidInputException {
        return ConfigLoader.load(new StringReader(zones + DOMAINS), "test.yaml").config();
    }

    private static List<String> problems(String zones) {
        InvalidInputException e = catchThrowableOfType(InvalidInputException.class, () -> load(zones));
        assertThat(e).as("refused").isNotNull();
        return e.findings().stream().map(Finding::format).toList();
    }

    @Test
    void everyKeyIsBoundAndTheRestDefault() throws Exception {
        KeyPolicy full = load("""
                        zones:
                          example.com:
                            sign: { zone_file: z, output: z.signed, keys: keys }
                            dnssec:
                              algorithm: ED25519
                              keys: ksk+zsk
                              zsk_lifetime: 30d
                              ksk_lifetime: 365d
                              dnskey_ttl: 600
                              max_zone_ttl: 2h
                              propagation_delay: 5m
                              parent: com
                              parent_nameservers: [ "192.0.2.1", "192.0.2.2:5353" ]
                              ds_ttl: 2d
                              parent_propagation_delay: 12h
                              cds_warning: 3d
                              signature_validity: 21d
                              signature_refresh: 10d
                        """)
                .zones()
                .get("example.com")
                .signing()
                .orElseThrow()
                .keyPolicy()
                .orElseThrow();
        assertThat(full.algorithm()).isEqualTo(DnssecAlgorithm.ED25519);
        assertThat(full.csk()).isFalse();
        assertThat(full.zskLifetime()).isEqualTo(Duration.ofDays(30));
        assertThat(full.kskLifetime()).contains(Duration.ofDays(365));
        assertThat(full.dnskeyTtl()).isEqualTo(600);
        assertThat(full.maxZoneTtl()).isEqualTo(Duration.ofHours(2));
        assertThat(full.propagationDelay()).isEqualTo(Duration.ofMinutes(5));
        assertThat(full.parent()).isEqualTo("com");
        assertThat(full.parentNameservers())
                .extracting(ServerAddress::toString)
                .containsExactly("192.0.2.1:53", "192.0.2.2:5353");
        assertThat(full.dsTtl()).isEqualTo(Duration.ofDays(2));
        assertThat(full.parentPropagationDelay()).isEqualTo(Duration.ofHours(12));
        assertThat(full.cdsWarning()).isEqualTo(Duration.ofDays(3));
        assertThat(full.signatureValidity()).isEqualTo(Duration.ofDays(21));
        assertThat(full.signatureRefresh()).isEqualTo(Duration.ofDays(10));

        KeyPolicy defaults = load("""
                        zones:
                          mail.example.com:
                            sign: { zone_file: z, output: z.signed, keys: keys }
                            dnssec:
                        """)
                .zones()
                .get("mail.example.com")
                .signing()
                .orElseThrow()
                .keyPolicy()
                .orElseThrow();
        assertThat(defaults.algorithm()).isEqualTo(DnssecAlgorithm.ECDSAP256SHA256);
        assertThat(defaults.csk()).isTrue();
        assertThat(defaults.kskLifetime()).isEqualTo(Optional.empty());
        assertThat(defaults.parent()).isEqualTo("example.com");
        assertThat(defaults.dnskeyTtl()).isEqualTo(KeyPolicy.DEFAULT_DNSKEY_TTL);
    }

    @Test
    void badValuesAreReportedAtTheirPositions() {
        assertThat(problems("""
                        zones:
                          example.com:
                            sign: { zone_file: z, output: z.signed, keys: keys }
                            dnssec:
                              algorithm: RSASHA1
                              keys: kskzsk
                              zsk_lifetime: 0
                              ksk_lifettime: 1d
                        """))
                .containsExactly(
                        "test.yaml:5:18: error: 'algorithm' 'RSASHA1' is not supported; use ECDSAP256SHA256 (13),"
                                + " ED25519 (15) or RSASHA256 (8) [config.dnssec-algorithm]",
                        "test.yaml:6:13: error: 'keys' must be csk (one combined signing key) or ksk+zsk (a"
                                + " key-signing and a zone-signing key), found 'kskzsk'; did you mean 'ksk+zsk'?"
                                + " [config.dnssec-keys]",
                        "test.yaml:7:21: error: 'zsk_lifetime' must be longer than 0 [config.dnssec-duration]",
                        "test.yaml:8:7: error: unknown key 'ksk_lifettime' under 'dnssec' of zone 'example.com';"
                                + " did you mean 'ksk_lifetime'? [config.unknown-key]");
    }

    @Test
    void aKeyPolicyNeedsAZoneMxpolicySigns() {
        assertThat(problems("""
                        zones:
                          example.com:
                            dnssec: { keys: csk }
                        """))
                .singleElement()
                .asString()
                .startsWith("test.yaml:3:5: error: zone 'example.com' has 'dnssec' but no 'sign'");
    }

    @Test
    void theRefreshMustBeShorterThanTheValidity() {
        assertThat(problems("""
                        zones:
                          example.com:
                            sign: { zone_file: z, output: z.signed, keys: keys }
                            dnssec: { signature_validity: 7d, signature_refresh: 7d }
                        """))
                .singleElement()
                .asString()
                .contains("'signature_refresh' (7d) must be shorter than 'signature_validity' (7d)");
    }
}
