package org.mxpolicy.dnssec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.xbill.DNS.Name;

class KeyGeneratorTest {

    private static final Name ZONE = Name.fromConstantString("Example.COM.");

    @ParameterizedTest
    @EnumSource(DnssecAlgorithm.class)
    void newKeysAreZoneKeysOfTheAlgorithmThatSign(DnssecAlgorithm algorithm) throws Exception {
        ZoneKey key = KeyFixtures.seededGenerator(1).generate(ZONE, algorithm, ZoneKey.FLAGS_KSK);

        assertThat(key.dnskey().getAlgorithm()).isEqualTo(algorithm.number());
        assertThat(key.dnskey().getProtocol()).isEqualTo(3);
        assertThat(key.dnskey().getFlags()).isEqualTo(257);
        assertThat(key.dnskey().getTTL()).isEqualTo(3600);
        assertThat(key.zone()).hasToString("example.com.");
        assertThat(key.dnskey().getName()).hasToString("example.com.");
        assertThat(key.dnskey().getPublicKey()).isEqualTo(key.publicKey());
        KeyFixtures.assertSigns(key);
    }

    @Test
    void p256PublicKeyIsXThenY() throws Exception {
        ZoneKey key = KeyFixtures.seededGenerator(2).generate(ZONE, DnssecAlgorithm.ECDSAP256SHA256, ZoneKey.FLAGS_ZSK);
        ECPublicKey ec = (ECPublicKey) key.publicKey();

        byte[] field = key.dnskey().getKey();

        // RFC 6605 section 4: the 64-octet field is Q's x then y, each 32 octets, big-endian.
        assertThat(field).hasSize(64);
        assertThat(new BigInteger(1, Arrays.copyOfRange(field, 0, 32)))
                .isEqualTo(ec.getW().getAffineX());
        assertThat(new BigInteger(1, Arrays.copyOfRange(field, 32, 64)))
                .isEqualTo(ec.getW().getAffineY());
        assertThat(key.flags()).isEqualTo(256);
    }

    @Test
    void ed25519PublicKeyIsTheRaw32Bytes() throws Exception {
        ZoneKey key = KeyFixtures.seededGenerator(3).generate(ZONE, DnssecAlgorithm.ED25519, ZoneKey.FLAGS_KSK);
        byte[] spki = key.publicKey().getEncoded();

        // RFC 8080 section 3: the 32-octet public key; the JDK's SubjectPublicKeyInfo ends with it.
        assertThat(key.dnskey().getKey())
                .hasSize(32)
                .isEqualTo(Arrays.copyOfRange(spki, spki.length - 32, spki.length));
    }

    @Test
    void rsaPublicKeyIsRfc3110WithExponent65537() throws Exception {
        ZoneKey key = KeyFixtures.seededGenerator(4).generate(ZONE, DnssecAlgorithm.RSASHA256, ZoneKey.FLAGS_KSK);
        RSAPublicKey rsa = (RSAPublicKey) key.publicKey();

        byte[] field = key.dnskey().getKey();

        // RFC 3110 section 2: exponent length (1 octet), exponent, modulus.
        assertThat(Arrays.copyOfRange(field, 0, 4)).containsExactly(3, 1, 0, 1);
        assertThat(new BigInteger(1, Arrays.copyOfRange(field, 4, field.length)))
                .isEqualTo(rsa.getModulus());
        assertThat(rsa.getModulus().bitLength()).isEqualTo(2048);
        assertThat(rsa.getPublicExponent()).isEqualTo(BigInteger.valueOf(65537));
    }

    @Test
    void rsaSizeAndTtlAreTaken() throws Exception {
        ZoneKey key = KeyFixtures.seededGenerator(5)
                .generate(ZONE, DnssecAlgorithm.RSASHA256, ZoneKey.FLAGS_ZSK, 3072, 86400);

        assertThat(((RSAPublicKey) key.publicKey()).getModulus().bitLength()).isEqualTo(3072);
        assertThat(key.dnskey().getTTL()).isEqualTo(86400);
    }

    @Test
    void theInjectedRandomDecidesTheKey() {
        ZoneKey a = KeyFixtures.seededGenerator(6).generate(ZONE, DnssecAlgorithm.ED25519, ZoneKey.FLAGS_KSK);
        ZoneKey b = KeyFixtures.seededGenerator(6).generate(ZONE, DnssecAlgorithm.ED25519, ZoneKey.FLAGS_KSK);
        ZoneKey c = KeyFixtures.seededGenerator(7).generate(ZONE, DnssecAlgorithm.ED25519, ZoneKey.FLAGS_KSK);

        assertThat(a.dnskey()).isEqualTo(b.dnskey());
        assertThat(c.dnskey()).isNotEqualTo(a.dnskey());
    }

    @Test
    void refusesWhatItMustNotMake() {
        KeyGenerator generator = KeyFixtures.seededGenerator(8);

        assertThatThrownBy(() -> generator.generate(ZONE, DnssecAlgorithm.RSASHA256, 257, 1024, 3600))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> generator.generate(ZONE, DnssecAlgorithm.RSASHA256, 257, 8192, 3600))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> generator.generate(ZONE, DnssecAlgorithm.ED25519, 385))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> generator.generate(Name.fromConstantString("relative"), DnssecAlgorithm.ED25519, 257))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void signatureLengthIsTheModulusForRsaAndSixtyFourBytesOtherwise() {
        assertThat(KeyFixtures.seededGenerator(6)
                        .generate(ZONE, DnssecAlgorithm.RSASHA256, ZoneKey.FLAGS_ZSK, 3072, 3600)
                        .signatureLength())
                .isEqualTo(384);
        assertThat(KeyFixtures.seededGenerator(7)
                        .generate(ZONE, DnssecAlgorithm.ECDSAP256SHA256, ZoneKey.FLAGS_ZSK)
                        .signatureLength())
                .isEqualTo(64);
        assertThat(KeyFixtures.seededGenerator(8)
                        .generate(ZONE, DnssecAlgorithm.ED25519, ZoneKey.FLAGS_ZSK)
                        .signatureLength())
                .isEqualTo(64);
    }
}
