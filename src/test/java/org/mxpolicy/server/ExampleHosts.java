package org.mxpolicy.server;

import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.mxpolicy.cert.CertificateChain;
import org.mxpolicy.cert.CertificateChainReader;
import org.mxpolicy.cert.PrivateKeyReader;
import org.mxpolicy.cert.PublicKeyReader;
import org.mxpolicy.cert.SubjectPublicKey;
import org.mxpolicy.config.ConfigLoader;
import org.mxpolicy.config.FileReference;
import org.mxpolicy.config.MailDomain;
import org.mxpolicy.desired.CertificateSource;
import org.mxpolicy.desired.DesiredState;
import org.mxpolicy.desired.DesiredStateBuilder;
import org.mxpolicy.desired.HttpsHost;
import org.mxpolicy.desired.MailClientSettings;
import org.mxpolicy.finding.InvalidInputException;

/** The policy hosts of {@code examples/provider.yaml}, with the test certificates in {@code examples/certs}. */
final class ExampleHosts {

    static final Path EXAMPLES = Path.of("examples");
    static final Path ROOT_CA = EXAMPLES.resolve("certs/ca/root.pem");

    private ExampleHosts() {}

    /** The desired state of the example config, as {@code mxpolicy policy} builds it. */
    static DesiredState desired() throws Exception {
        return new DesiredStateBuilder(new ExampleCertificates(), Instant.now()).build(load().config());
    }

    /** mta-sts.example.com and mta-sts.example.net with their policies, certificates and keys. */
    static List<PolicyHost> hosts() throws Exception {
        DesiredState desired = desired();
        List<PolicyHost> hosts = new ArrayList<>();
        for (MailDomain domain : load().config().domains()) {
            if (domain.mtaSts().isEmpty()) {
                continue;
            }
            var settings = domain.mtaSts().get();
            var policy = desired.policy(domain.name()).orElseThrow();
            hosts.add(new PolicyHost(
                    policy.policyHost(),
                    policy.policy(),
                    new ExampleCertificates().chain(settings.cert().get()),
                    key(settings.key().get())));
        }
        return hosts;
    }

    /** The mail client settings of example.com, from its client_services. */
    static MailClientSettings clientSettings() throws Exception {
        MailDomain domain = load().config().domains().get(0);
        var endpoints = new java.util.EnumMap<
                org.mxpolicy.record.ClientService, List<org.mxpolicy.record.ClientServiceRecords.ServiceEndpoint>>(
                org.mxpolicy.record.ClientService.class);
        domain.clientServices()
                .orElseThrow()
                .services()
                .forEach((service, list) -> endpoints.put(
                        service,
                        list.stream()
                                .map(e -> new org.mxpolicy.record.ClientServiceRecords.ServiceEndpoint(
                                        e.host(), e.port()))
                                .toList()));
        return MailClientSettings.of(domain.name(), endpoints);
    }

    /**
     * Everything the example config serves: both policy hosts, and autoconfig.example.com and
     * autodiscover.example.com with their certificates.
     */
    static ServedHosts served() throws Exception {
        MailDomain domain = load().config().domains().get(0);
        var services = domain.clientServices().orElseThrow();
        MailClientSettings settings = clientSettings();
        List<ClientConfigHost> clients = new ArrayList<>();
        for (var kind : List.of(HttpsHost.Kind.AUTOCONFIG, HttpsHost.Kind.AUTODISCOVER)) {
            var files =
                    (kind == HttpsHost.Kind.AUTOCONFIG ? services.autoconfig() : services.autodiscover()).orElseThrow();
            clients.add(new ClientConfigHost(
                    kind,
                    settings,
                    new HostCertificate(
                            kind.host(domain.name()),
                            new ExampleCertificates().chain(files.cert()),
                            key(files.key()))));
        }
        return new ServedHosts(hosts(), clients);
    }

    /** A client TLS context that trusts only the examples' test root CA. */
    static SSLContext clientTrustingTestCa(String... protocols) throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        List<X509Certificate> roots;
        try (InputStream in = java.nio.file.Files.newInputStream(ROOT_CA)) {
            roots = CertificateChainReader.read(in, ROOT_CA.toString()).certificates();
        }
        trust.setCertificateEntry("root", roots.get(0));
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext context = SSLContext.getInstance(protocols.length == 0 ? "TLS" : protocols[0]);
        context.init(null, tmf.getTrustManagers(), null);
        return context;
    }

    private static ConfigLoader.Result load() throws IOException, InvalidInputException {
        Path config = EXAMPLES.resolve("provider.yaml");
        return ConfigLoader.load(
                new StringReader(java.nio.file.Files.readString(config, StandardCharsets.UTF_8)), config.toString());
    }

    private static PrivateKey key(FileReference file) throws IOException, InvalidInputException {
        try (InputStream in = java.nio.file.Files.newInputStream(EXAMPLES.resolve(file.path()))) {
            return PrivateKeyReader.read(in, file.path());
        }
    }

    /** Certificates named in the config, relative to {@code examples/}. */
    private static final class ExampleCertificates implements CertificateSource {
        @Override
        public CertificateChain chain(FileReference file) throws InvalidInputException {
            try (InputStream in = java.nio.file.Files.newInputStream(EXAMPLES.resolve(file.path()))) {
                return CertificateChainReader.read(in, file.path());
            } catch (IOException e) {
                throw new AssertionError(e);
            }
        }

        @Override
        public SubjectPublicKey publicKey(FileReference file) throws InvalidInputException {
            try (InputStream in = java.nio.file.Files.newInputStream(EXAMPLES.resolve(file.path()))) {
                return PublicKeyReader.read(in, file.path());
            } catch (IOException e) {
                throw new AssertionError(e);
            }
        }

        @Override
        public List<X509Certificate> certificates(FileReference file) throws InvalidInputException {
            return chain(file).certificates();
        }
    }
}
