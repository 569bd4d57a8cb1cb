package org.mxpolicy.tls;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class JssePropertiesTest {

    private static final TlsRuleSet EDITION = TlsRuleSet.editions().get(0);

    @Test
    void theJvmWideGroupsAndSchemesOfTheOperatorAreKept() {
        String before = System.getProperty(JsseProperties.NAMED_GROUPS);
        String schemesBefore = System.getProperty(JsseProperties.SIGNATURE_SCHEMES);
        try {
            System.setProperty(JsseProperties.NAMED_GROUPS, "secp384r1");
            System.setProperty(
                    JsseProperties.SIGNATURE_SCHEMES,
                    String.join(
                            ",", TlsProfile.of(TlsProfile.Choice.BSI, EDITION).signatureSchemes()));
            List<String> kept = JsseProperties.use(TlsProfile.of(TlsProfile.Choice.BSI, EDITION));
            assertThat(kept).singleElement().asString().startsWith("jdk.tls.namedGroups=secp384r1 is kept");
            assertThat(System.getProperty(JsseProperties.NAMED_GROUPS)).isEqualTo("secp384r1");
        } finally {
            restore(JsseProperties.NAMED_GROUPS, before);
            restore(JsseProperties.SIGNATURE_SCHEMES, schemesBefore);
        }
    }

    private static void restore(String property, String value) {
        if (value == null) {
            System.clearProperty(property);
        } else {
            System.setProperty(property, value);
        }
    }
}
