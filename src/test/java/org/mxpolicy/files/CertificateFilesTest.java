package org.mxpolicy.files;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.mxpolicy.cert.CertificateChain;
import org.mxpolicy.config.FileReference;
import org.mxpolicy.finding.SourcePosition;

class CertificateFilesTest {

    private static FileReference file(String path) {
        return new FileReference(path, SourcePosition.at("provider.yaml", 1, 1));
    }

    @Test
    void anIssuerThatManyChainsCarryIsParsedAndKeptOnce() throws Exception {
        CertificateFiles files = new CertificateFiles(Path.of("examples"));

        CertificateChain mx1 = files.chain(file("certs/mx1.example.com/fullchain.pem"));
        CertificateChain mx2 = files.chain(file("certs/mx2.example.com/fullchain.pem"));

        assertThat(mx1.leaf()).isNotEqualTo(mx2.leaf());
        assertThat(mx1.certificates().get(1)).isSameAs(mx2.certificates().get(1));
    }
}
