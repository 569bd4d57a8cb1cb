package org.mxpolicy.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.StringReader;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.mxpolicy.finding.Finding;
import org.mxpolicy.finding.InvalidInputException;

/** The {@code ownership} section: owner id and deletion share, their defaults, and mistakes in them. */
class OwnershipSettingsTest {

    private static final String DOMAINS = """
            zones: { example.com: {} }
            domains:
              - name: example.com
                mx: [{ host: mx1.example.com, cert: mx1.pem }]
            """;

    @Test
    void theSettingsAreTakenFromTheConfigAndDefaultToOctoDnsThresholds() throws Exception {
        OwnershipSettings set = load(DOMAINS
                        + "ownership: { owner_id: mail-2.example, max_deletion_percent: 5, min_owned: 0 }\n")
                .ownership();

        assertThat(set.ownerId()).isEqualTo("mail-2.example");
        assertThat(set.maxDeletionPercent()).isEqualTo(5);
        assertThat(set.minOwned()).isZero();
        assertThat(load(DOMAINS).ownership()).isEqualTo(OwnershipSettings.defaults());
        assertThat(OwnershipSettings.defaults().ownerId()).isEqualTo("mxpolicy");
        assertThat(OwnershipSettings.defaults().maxDeletionPercent()).isEqualTo(30);
        assertThat(OwnershipSettings.defaults().minOwned()).isEqualTo(10);
    }

    @Test
    void aBadOwnerIdOrShareIsAnErrorAtTheValue() {
        assertThat(findings(DOMAINS + "ownership:\n  owner_id: \"mail 2\"\n"))
                .containsExactly("test.yaml:6:13: error: 'owner_id' must be 1 to 63 letters, digits, '.', '-' or '_',"
                        + " found 'mail 2' [ownership.owner-id]");
        assertThat(findings(DOMAINS + "ownership:\n  max_deletion_percent: 101\n"))
                .containsExactly("test.yaml:6:25: error: 'max_deletion_percent' must be a percentage from 0 to 100,"
                        + " found 101 [ownership.share]");
        assertThat(findings(DOMAINS + "ownership:\n  owner: x\n"))
                .singleElement()
                .asString()
                .contains("unknown key 'owner' under 'ownership'")
                .endsWith("[config.unknown-key]");
    }

    private static ProviderConfig load(String yaml) throws InvalidInputException {
        return ConfigLoader.load(new StringReader(yaml), "test.yaml").config();
    }

    private static List<String> findings(String yaml) {
        InvalidInputException e = catchThrowableOfType(InvalidInputException.class, () -> load(yaml));
        assertThat(e).as("rejected").isNotNull();
        return e.findings().stream().map(Finding::format).toList();
    }
}
