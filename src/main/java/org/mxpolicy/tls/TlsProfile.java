package org.mxpolicy.tls;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * What a TLS server offers: protocol versions, cipher suites in order of preference,
 * key-exchange groups and signature schemes, drawn from an edition of TR-03116-4
 * ({@link TlsRuleSet}) and limited to what the JDK's TLS (JSSE) implements.
 *
 * <ul>
 *   <li>{@link Choice#BSI}: the edition's protocols; its AEAD suites with ephemeral elliptic-curve
 *       key exchange (TLS 1.3 AES-GCM and AES-CCM, TLS 1.2 ECDHE with AES-GCM; not the CBC
 *       suites, which the edition allows only with encrypt-then-MAC, an extension JSSE does not
 *       implement, nor DHE); its elliptic-curve groups; its signature schemes.
 *   <li>{@link Choice#MODERN}: the same plus X25519 (preferred) and ChaCha20-Poly1305 (after
 *       AES-GCM), which the edition does not list but many clients prefer.
 * </ul>
 *
 * @param choice which of the two
 * @param ruleSet the edition it is drawn from
 * @param protocols JSSE names, newest first
 * @param cipherSuites IANA names, TLS 1.3 first, in the server's order of preference
 * @param namedGroups IANA names, in the server's order of preference
 * @param signatureSchemes IANA names
 */
public record TlsProfile(
        Choice choice,
        TlsRuleSet ruleSet,
        List<String> protocols,
        List<String> cipherSuites,
        List<String> namedGroups,
        List<String> signatureSchemes) {

    /** The profiles an operator can choose ({@code serve --tls-profile}). */
    public enum Choice {
        /** Exactly what the TR-03116-4 edition in force allows, as far as JSSE implements it; the default. */
        BSI,
        /** BSI plus X25519 and ChaCha20-Poly1305. */
        MODERN;

        /** The name on the command line and in the config: {@code bsi}, {@code modern}. */
        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * The cipher suites JSSE implements, of those any edition might list, on Java 17 to 25: no
     * AES-CCM (TLS_AES_128_CCM_SHA256 and the TLS 1.2 CCM suites are missing from JSSE).
     * {@code TlsProfileTest} checks this against the running JDK.
     */
    static final Set<String> JSSE_CIPHER_SUITES = Set.of(
            "TLS_AES_128_GCM_SHA256",
            "TLS_AES_256_GCM_SHA384",
            "TLS_CHACHA20_POLY1305_SHA256",
            "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
            "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384",
            "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
            "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
            "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256",
            "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256",
            "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256",
            "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA384",
            "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256",
            "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384",
            "TLS_DHE_RSA_WITH_AES_128_GCM_SHA256",
            "TLS_DHE_RSA_WITH_AES_256_GCM_SHA384",
            "TLS_DHE_RSA_WITH_AES_128_CBC_SHA256",
            "TLS_DHE_RSA_WITH_AES_256_CBC_SHA256");

    /**
     * The named groups JSSE implements on Java 17 to 25 (names of {@code jdk.tls.namedGroups}):
     * no Brainpool curves, neither the TLS 1.2 ones (RFC 7027) nor the TLS 1.3 ones (RFC 8734).
     */
    static final Set<String> JSSE_GROUPS = Set.of(
            "secp256r1",
            "secp384r1",
            "secp521r1",
            "x25519",
            "x448",
            "ffdhe2048",
            "ffdhe3072",
            "ffdhe4096",
            "ffdhe6144",
            "ffdhe8192");

    /** The signature schemes JSSE implements on Java 17 to 25: no Brainpool schemes (RFC 8734). */
    static final Set<String> JSSE_SIGNATURE_SCHEMES = Set.of(
            "ecdsa_secp256r1_sha256",
            "ecdsa_secp384r1_sha384",
            "ecdsa_secp521r1_sha512",
            "ed25519",
            "ed448",
            "rsa_pss_rsae_sha256",
            "rsa_pss_rsae_sha384",
            "rsa_pss_rsae_sha512",
            "rsa_pss_pss_sha256",
            "rsa_pss_pss_sha384",
            "rsa_pss_pss_sha512",
            "rsa_pkcs1_sha256",
            "rsa_pkcs1_sha384",
            "rsa_pkcs1_sha512");

    public TlsProfile {
        protocols = List.copyOf(protocols);
        cipherSuites = List.copyOf(cipherSuites);
        namedGroups = List.copyOf(namedGroups);
        signatureSchemes = List.copyOf(signatureSchemes);
    }

    /** The profile {@code choice} of the edition {@code ruleSet}. */
    public static TlsProfile of(Choice choice, TlsRuleSet ruleSet) {
        List<String> protocols = ruleSet.protocols().stream()
                .map(TlsRuleSet.Rule::name)
                .sorted(Comparator.reverseOrder())
                .toList();
        List<String> suites = new ArrayList<>();
        ruleSet.tls13CipherSuites().forEach(rule -> suites.add(rule.name()));
        ruleSet.tls12CipherSuites().stream()
                .map(TlsRuleSet.Rule::name)
                .filter(name -> name.startsWith("TLS_ECDHE_") && !name.contains("_CBC_"))
                .forEach(suites::add);
        List<String> groups = new ArrayList<>();
        for (List<TlsRuleSet.Rule> rules : List.of(ruleSet.tls13Groups(), ruleSet.tls12Groups())) {
            rules.stream()
                    .filter(rule -> rule.kind().equals("ec"))
                    .map(TlsRuleSet.Rule::name)
                    .filter(name -> !groups.contains(name))
                    .forEach(groups::add);
        }
        if (choice == Choice.MODERN) {
            suites.addAll(List.of(
                    "TLS_CHACHA20_POLY1305_SHA256",
                    "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256",
                    "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256"));
            groups.add(0, "x25519");
        }
        return new TlsProfile(
                choice,
                ruleSet,
                protocols,
                suites.stream()
                        .filter(JSSE_CIPHER_SUITES::contains)
                        .sorted(PREFERENCE)
                        .toList(),
                groups.stream().filter(JSSE_GROUPS::contains).toList(),
                ruleSet.signatureSchemes().stream()
                        .map(TlsRuleSet.Rule::name)
                        .filter(JSSE_SIGNATURE_SCHEMES::contains)
                        .toList());
    }

    /**
     * The server's order: TLS 1.3 suites first; ECDSA before RSA (the certificates of policy hosts
     * are usually ECDSA); AES-256-GCM, then AES-128-GCM, then AES-CCM, ChaCha20-Poly1305 last.
     */
    private static final Comparator<String> PREFERENCE = Comparator.comparingInt(
                    (String suite) -> suite.contains("_WITH_") ? 1 : 0)
            .thenComparingInt(suite -> suite.contains("_RSA_") ? 1 : 0)
            .thenComparingInt(suite -> suite.contains("AES_256_GCM")
                    ? 0
                    : suite.contains("AES_128_GCM") ? 1 : suite.contains("CCM") ? 2 : 3);

    /** For the start message: {@code bsi (TR-03116-4 (Stand 2022, 2022-01-24))}. */
    public String describe() {
        return choice.label() + " (" + ruleSet.describe() + ")";
    }
}
