package org.mxpolicy.dnssec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.util.HexFormat;
import java.util.Random;
import org.bouncycastle.crypto.signers.PlainDSAEncoding;
import org.bouncycastle.crypto.signers.StandardDSAEncoding;
import org.junit.jupiter.api.Test;

/** DER and RRSIG forms of ECDSA signatures, checked against Bouncy Castle's encoders. */
class EcdsaSignatureFormatTest {

    private static final BigInteger N = SigningKey.p256().getN();

    private static byte[] der(BigInteger r, BigInteger s) throws Exception {
        return StandardDSAEncoding.INSTANCE.encode(N, r, s);
    }

    private static byte[] plain(BigInteger r, BigInteger s) throws Exception {
        return PlainDSAEncoding.INSTANCE.encode(N, r, s);
    }

    @Test
    void convertsBothWaysLikeBouncyCastleForValuesOfEverySize() throws Exception {
        Random random = new Random(6605);
        for (int i = 0; i < 2000; i++) {
            // Short values (leading zero bytes in r || s) and values with the high bit set (a DER pad byte).
            BigInteger r = new BigInteger(1 + random.nextInt(256), random).mod(N);
            BigInteger s = new BigInteger(1 + random.nextInt(256), random).mod(N);

            assertThat(EcdsaSignatureFormat.toPlain(der(r, s), 32)).isEqualTo(plain(r, s));
            assertThat(EcdsaSignatureFormat.toDer(plain(r, s))).isEqualTo(der(r, s));
        }
    }

    @Test
    void edgeValues() throws Exception {
        BigInteger high = N.subtract(BigInteger.ONE);
        for (BigInteger[] rs : new BigInteger[][] {
            {BigInteger.ONE, high},
            {high, BigInteger.ONE},
            {BigInteger.valueOf(0x80), BigInteger.valueOf(0x7f)},
            {BigInteger.ZERO, BigInteger.ZERO}
        }) {
            assertThat(EcdsaSignatureFormat.toDer(plain(rs[0], rs[1]))).isEqualTo(der(rs[0], rs[1]));
            assertThat(EcdsaSignatureFormat.toPlain(der(rs[0], rs[1]), 32)).isEqualTo(plain(rs[0], rs[1]));
        }
    }

    @Test
    void refusesWhatIsNotADerSignatureWithValuesThatFit() {
        HexFormat hex = HexFormat.of();
        assertThatThrownBy(() -> EcdsaSignatureFormat.toPlain(hex.parseHex("3006020101020101ff"), 32))
                .as("trailing byte")
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> EcdsaSignatureFormat.toPlain(hex.parseHex("3106020101020101"), 32))
                .as("not a SEQUENCE")
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> EcdsaSignatureFormat.toPlain(hex.parseHex("3006020181020101"), 32))
                .as("negative r")
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> EcdsaSignatureFormat.toPlain(hex.parseHex("3006020101020201"), 32))
                .as("s longer than the SEQUENCE")
                .isInstanceOf(IllegalArgumentException.class);
        byte[] tooLong = new byte[2 + 2 + 33 + 3];
        tooLong[0] = 0x30;
        tooLong[1] = (byte) (tooLong.length - 2);
        tooLong[2] = 0x02;
        tooLong[3] = 33;
        tooLong[4] = 0x01;
        tooLong[37] = 0x02;
        tooLong[38] = 1;
        tooLong[39] = 1;
        assertThatThrownBy(() -> EcdsaSignatureFormat.toPlain(tooLong, 32))
                .as("r of 33 significant bytes")
                .isInstanceOf(IllegalArgumentException.class);
    }
}
