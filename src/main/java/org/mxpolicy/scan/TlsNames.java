package org.mxpolicy.scan;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.bouncycastle.tls.CipherSuite;
import org.bouncycastle.tls.NamedGroup;
import org.bouncycastle.tls.ProtocolVersion;
import org.bouncycastle.tls.SignatureScheme;

/**
 * The IANA names of TLS code points (the names of the TLS parameters registry, which the rule
 * set and testssl.sh's RFC names use too), and the candidates a scan offers.
 */
final class TlsNames {

    /** Protocol versions by their JSSE names, as the rule set names them; newest first. */
    static final List<Version> VERSIONS = List.of(
            new Version("TLSv1.3", ProtocolVersion.TLSv13),
            new Version("TLSv1.2", ProtocolVersion.TLSv12),
            new Version("TLSv1.1", ProtocolVersion.TLSv11),
            new Version("TLSv1", ProtocolVersion.TLSv10));

    /** Elliptic curves a TLS 1.0 to 1.2 server may choose for ECDHE (RFC 8422, RFC 7027). */
    static final List<Integer> TLS12_GROUPS = List.of(
            NamedGroup.secp256r1,
            NamedGroup.secp384r1,
            NamedGroup.secp521r1,
            NamedGroup.x25519,
            NamedGroup.x448,
            NamedGroup.brainpoolP256r1,
            NamedGroup.brainpoolP384r1,
            NamedGroup.brainpoolP512r1);

    /** Groups of TLS 1.3 key exchange (RFC 8446 section 4.2.7, RFC 8734, the ML-KEM hybrid). */
    static final List<Integer> TLS13_GROUPS = List.of(
            NamedGroup.secp256r1,
            NamedGroup.secp384r1,
            NamedGroup.secp521r1,
            NamedGroup.x25519,
            NamedGroup.x448,
            NamedGroup.brainpoolP256r1tls13,
            NamedGroup.brainpoolP384r1tls13,
            NamedGroup.brainpoolP512r1tls13,
            NamedGroup.ffdhe2048,
            NamedGroup.ffdhe3072,
            NamedGroup.ffdhe4096,
            NamedGroup.ffdhe6144,
            NamedGroup.ffdhe8192,
            NamedGroup.X25519MLKEM768);

    /** Signature schemes a server may sign its key exchange with (RFC 8446 section 4.2.3). */
    static final List<Integer> SIGNATURE_SCHEMES = List.of(
            SignatureScheme.ecdsa_secp256r1_sha256,
            SignatureScheme.ecdsa_secp384r1_sha384,
            SignatureScheme.ecdsa_secp521r1_sha512,
            SignatureScheme.ecdsa_brainpoolP256r1tls13_sha256,
            SignatureScheme.ecdsa_brainpoolP384r1tls13_sha384,
            SignatureScheme.ecdsa_brainpoolP512r1tls13_sha512,
            SignatureScheme.ed25519,
            SignatureScheme.ed448,
            SignatureScheme.rsa_pss_rsae_sha256,
            SignatureScheme.rsa_pss_rsae_sha384,
            SignatureScheme.rsa_pss_rsae_sha512,
            SignatureScheme.rsa_pss_pss_sha256,
            SignatureScheme.rsa_pss_pss_sha384,
            SignatureScheme.rsa_pss_pss_sha512,
            SignatureScheme.rsa_pkcs1_sha256,
            SignatureScheme.rsa_pkcs1_sha384,
            SignatureScheme.rsa_pkcs1_sha512,
            SignatureScheme.rsa_pkcs1_sha1,
            SignatureScheme.ecdsa_sha1);

    private static final Map<Integer, String> SUITE_NAMES = suiteNames();

    private TlsNames() {}

    /** A protocol version by its JSSE name and Bouncy Castle's value. */
    record Version(String name, ProtocolVersion protocol) {
        boolean isTls13() {
            return protocol.equals(ProtocolVersion.TLSv13);
        }
    }

    /** The IANA name of a cipher suite, e.g. {@code TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256}. */
    static String suite(int code) {
        String name = SUITE_NAMES.get(code);
        return name != null ? name : String.format(Locale.ROOT, "0x%04x", code);
    }

    /** The IANA name of a group, e.g. {@code secp256r1}, {@code x25519}. */
    static String group(int code) {
        String name = NamedGroup.getName(code);
        return name == null || name.startsWith("UNKNOWN") ? String.format(Locale.ROOT, "0x%04x", code) : name;
    }

    /** The IANA name of a signature scheme, e.g. {@code rsa_pss_rsae_sha256}. */
    static String signatureScheme(int code) {
        String name = SignatureScheme.getName(code);
        return name == null || name.startsWith("UNKNOWN") ? String.format(Locale.ROOT, "0x%04x", code) : name;
    }

    /**
     * The cipher suites worth offering in {@code version}: every suite Bouncy Castle names that
     * may be negotiated in that version, without the signalling values and without the
     * pre-shared-key and SRP suites, which no server picks for a client without such a key.
     */
    static List<Integer> candidateSuites(Version version) {
        return SUITE_NAMES.entrySet().stream()
                .filter(entry -> !entry.getValue().contains("PSK")
                        && !entry.getValue().contains("SRP")
                        && !entry.getValue().contains("ECCPWD")
                        && !entry.getValue().contains("KRB5")
                        && !entry.getValue().contains("GOST")
                        && !CipherSuite.isSCSV(entry.getKey()))
                .map(Map.Entry::getKey)
                .filter(code -> org.bouncycastle.tls.TlsUtils.isValidVersionForCipherSuite(code, version.protocol()))
                .sorted()
                .toList();
    }

    /** Bouncy Castle's constant names are the IANA names; the first of two aliases wins. */
    private static Map<Integer, String> suiteNames() {
        Map<Integer, String> names = new HashMap<>();
        for (Field field : CipherSuite.class.getFields()) {
            int modifiers = field.getModifiers();
            if (Modifier.isStatic(modifiers)
                    && field.getType() == int.class
                    && !field.getName().startsWith("DRAFT")) {
                try {
                    names.putIfAbsent(field.getInt(null), field.getName());
                } catch (IllegalAccessException e) {
                    throw new IllegalStateException("public constant " + field + " is not readable", e);
                }
            }
        }
        return Collections.unmodifiableMap(names);
    }
}
