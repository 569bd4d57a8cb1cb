package org.mxpolicy.dnssec;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.mxpolicy.files.KeyDirectory;
import org.mxpolicy.testing.ExternalTool;
import org.mxpolicy.testing.Launcher;
import org.xbill.DNS.Name;

/**
 * Key files both ways between mxpolicy and the tools operators already use: keys made by
 * BIND's dnssec-keygen and ldns-keygen load in mxpolicy with the same public key and give the
 * DS that dnssec-dsfromkey gives; keys made by {@code mxpolicy keygen} sign a zone with
 * dnssec-signzone and ldns-signzone, and dnssec-verify, ldns-verify-zone and kzonecheck accept
 * the result.
 */
class KeyFilesInteropIT {

    private static final String ZONE = "example.test";
    private static final String ZONE_TEXT = """
            $TTL 3600
            example.test. IN SOA ns1.example.test. hostmaster.example.test. 1 7200 3600 1209600 3600
            example.test. IN NS ns1.example.test.
            example.test. IN MX 10 mx1.example.test.
            ns1.example.test. IN A 192.0.2.1
            mx1.example.test. IN A 192.0.2.25
            _25._tcp.mx1.example.test. IN TLSA 3 1 1 0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef
            """;

    @TempDir
    Path dir;

    static Stream<Arguments> toolsAndAlgorithms() {
        return Stream.of("dnssec-keygen", "ldns-keygen")
                .flatMap(tool -> Stream.of(DnssecAlgorithm.values()).map(a -> Arguments.of(tool, a)));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("toolsAndAlgorithms")
    void keysOfBindAndLdnsLoadWithTheirPublicKeyAndGiveTheirDs(String tool, DnssecAlgorithm algorithm)
            throws Exception {
        String base = toolKey(tool, algorithm);
        Path keyFile = dir.resolve(base + ".key");

        List<ZoneKey> keys = new KeyDirectory(dir).load(Name.fromString(ZONE + "."));

        assertThat(keys).singleElement().satisfies(key -> {
            assertThat(key.baseName()).isEqualTo(base);
            assertThat(key.algorithm()).isEqualTo(algorithm);
            assertThat(key.dnskey().getKey()).isEqualTo(publicKeyField(Files.readString(keyFile)));
            assertThat(key.privateKey()).isPresent();
        });
        KeyFixtures.assertSigns(keys.get(0));

        var ds = Launcher.run("ds", "--zone", ZONE, "-K", dir.toString()).assertSuccess();
        var reference = ExternalTool.require("dnssec-dsfromkey")
                .run("-2", keyFile.toString())
                .assertSuccess();
        assertThat(dsRdata(ds.stdout())).isNotEmpty().isEqualTo(dsRdata(reference.stdout()));
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(DnssecAlgorithm.class)
    void combinedSigningKeysOfMxpolicySignWithBindAndLdns(DnssecAlgorithm algorithm) throws Exception {
        String base = mxpolicyKeygen("--algorithm", algorithm.mnemonic());

        assertBindSignsAndVerifies(true);
        assertLdnsSignsAndVerifies(List.of(base));
        assertSameDsAsDnssecDsfromkey(List.of(base));
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(DnssecAlgorithm.class)
    void splitKeysOfMxpolicySignWithBindAndLdns(DnssecAlgorithm algorithm) throws Exception {
        String ksk = mxpolicyKeygen("--algorithm", algorithm.mnemonic(), "--ksk");
        String zsk = mxpolicyKeygen("--algorithm", algorithm.mnemonic(), "--zsk");

        assertBindSignsAndVerifies(false);
        assertLdnsSignsAndVerifies(List.of(ksk, zsk));
        assertSameDsAsDnssecDsfromkey(List.of(ksk));
    }

    @Test
    void bindFindsNoFaultWithTheKeyFiles() throws Exception {
        String base = mxpolicyKeygen();

        // dnssec-settime -p all reads both files and prints the key's timing metadata
        var settime = ExternalTool.require("dnssec-settime")
                .run("-K", dir.toString(), "-p", "all", base)
                .assertSuccess();

        assertThat(settime.stdout()).contains("Created:").contains("Publish:").contains("Activate:");
    }

    // ---- helpers

    /** Makes a key with dnssec-keygen or ldns-keygen in {@code dir}; returns its base name. */
    private String toolKey(String tool, DnssecAlgorithm algorithm) {
        List<String> args = new ArrayList<>(List.of("-a", algorithm.mnemonic()));
        if (algorithm == DnssecAlgorithm.RSASHA256) {
            args.addAll(List.of("-b", "2048"));
        }
        String out;
        if (tool.equals("dnssec-keygen")) {
            args.addAll(0, List.of("-q", "-K", dir.toString(), "-f", "KSK"));
            args.add(ZONE);
            out = ExternalTool.require(tool)
                    .run(args.toArray(String[]::new))
                    .assertSuccess()
                    .stdout();
        } else {
            ExternalTool.require(tool);
            // ldns-keygen writes into the working directory
            args.addAll(0, List.of("-c", "cd \"$1\" && shift && exec ldns-keygen \"$@\"", "sh", dir.toString(), "-k"));
            args.add(ZONE);
            out = ExternalTool.require("sh")
                    .run(args.toArray(String[]::new))
                    .assertSuccess()
                    .stdout();
        }
        return out.strip();
    }

    private String mxpolicyKeygen(String... options) {
        List<String> args = new ArrayList<>(List.of("keygen", "--zone", ZONE, "-K", dir.toString()));
        args.addAll(List.of(options));
        String base = Launcher.run(args.toArray(String[]::new))
                .assertSuccess()
                .stdout()
                .strip();
        assertThat(base).startsWith("K" + ZONE + ".+");
        return base;
    }

    private void assertBindSignsAndVerifies(boolean combinedKey) throws Exception {
        Path zone = Files.writeString(dir.resolve("zone.db"), ZONE_TEXT);
        Path signed = dir.resolve("signed.bind");
        // -d: the dsset file goes to dir, not the working directory
        List<String> sign = new ArrayList<>(
                List.of("-S", "-K", dir.toString(), "-d", dir.toString(), "-o", ZONE, "-f", signed.toString()));
        List<String> verify = new ArrayList<>(List.of("-o", ZONE, signed.toString()));
        if (combinedKey) {
            // a CSK: the KSK-flagged key signs every RRset
            sign.add(0, "-z");
            verify.add(0, "-z");
        }
        sign.add(zone.toString());
        ExternalTool.require("dnssec-signzone").run(sign.toArray(String[]::new)).assertSuccess();
        ExternalTool.require("dnssec-verify").run(verify.toArray(String[]::new)).assertSuccess();
        ExternalTool.require("kzonecheck")
                .run("-o", ZONE, "-d", "on", signed.toString())
                .assertSuccess();
        assertThat(Files.readString(signed)).contains("RRSIG\tTLSA");
    }

    private void assertLdnsSignsAndVerifies(List<String> bases) throws Exception {
        Path zone = Files.writeString(dir.resolve("zone.db"), ZONE_TEXT);
        Path signed = dir.resolve("signed.ldns");
        List<String> sign = new ArrayList<>(List.of("-f", signed.toString(), zone.toString()));
        bases.forEach(b -> sign.add(dir.resolve(b).toString()));
        ExternalTool.require("ldns-signzone").run(sign.toArray(String[]::new)).assertSuccess();
        ExternalTool.require("ldns-verify-zone").run(signed.toString()).assertSuccess();
        ExternalTool.require("kzonecheck")
                .run("-o", ZONE, "-d", "on", signed.toString())
                .assertSuccess();
        // ldns makes a DNSKEY from the private key when it cannot read the .key file; ours must be the one used
        String text = Files.readString(signed);
        for (String base : bases) {
            byte[] key = publicKeyField(Files.readString(dir.resolve(base + ".key")));
            assertThat(text).contains(Base64.getEncoder().encodeToString(key));
        }
    }

    private void assertSameDsAsDnssecDsfromkey(List<String> kskBases) {
        var ds = Launcher.run("ds", "--zone", ZONE, "-K", dir.toString()).assertSuccess();
        List<String> reference = new ArrayList<>();
        for (String base : kskBases) {
            var out = ExternalTool.require("dnssec-dsfromkey")
                    .run("-2", dir.resolve(base + ".key").toString())
                    .assertSuccess();
            reference.addAll(dsRdata(out.stdout()));
        }
        assertThat(dsRdata(ds.stdout())).containsExactlyInAnyOrderElementsOf(reference);
    }

    /** The key field of the DNSKEY line of a .key file, read without mxpolicy's parser. */
    private static byte[] publicKeyField(String keyFile) {
        String line = keyFile.lines()
                .map(l -> l.contains(";") ? l.substring(0, l.indexOf(';')) : l)
                .filter(l -> l.contains("DNSKEY"))
                .findFirst()
                .orElseThrow();
        String[] tokens = line.substring(line.indexOf("DNSKEY") + "DNSKEY".length())
                .trim()
                .split("\\s+");
        return Base64.getDecoder().decode(String.join("", List.of(tokens).subList(3, tokens.length)));
    }

    /** "tag alg digesttype digest" of each DS line, lower case. */
    private static List<String> dsRdata(String text) {
        return text.lines()
                .filter(l -> !l.startsWith(";"))
                .map(l -> l.split("\\s+"))
                .filter(t -> List.of(t).contains("DS"))
                .map(t -> String.join(" ", List.of(t).subList(List.of(t).indexOf("DS") + 1, t.length))
                        .toLowerCase(Locale.ROOT))
                .toList();
    }
}
