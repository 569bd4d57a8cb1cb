package org.mxpolicy.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.security.InvalidAlgorithmParameterException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Random;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.ShortBufferException;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/**
 * The AES-GCM that JSSE gets once {@link TlsCryptoProvider} is installed: the JDK's results on
 * every path TLS uses, forged records still refused, and the two failures JSSE provokes when it
 * discards a record key (a decrypting {@code doFinal()} with no ciphertext, an encrypting one
 * after the cipher finished) thrown without a stack trace.
 */
class QuietAesGcmTest {

    private static final String OURS = TlsCryptoProvider.NAME;
    private static final SecureRandom RANDOM = new SecureRandom();

    static {
        TlsCryptoProvider.install();
    }

    @Test
    void encryptsAndDecryptsAsTheJdkDoesOnEveryPathTlsUses() throws Exception {
        for (int size : new int[] {0, 1, 15, 16, 17, 100, 16_384 + 1}) {
            SecretKey key = key(size % 2 == 0 ? 32 : 16);
            GCMParameterSpec iv = iv();
            byte[] aad = bytes(13);
            byte[] plain = bytes(size);

            Cipher jdk = Cipher.getInstance("AES/GCM/NoPadding", "SunJCE");
            jdk.init(Cipher.ENCRYPT_MODE, key, iv);
            jdk.updateAAD(aad);
            byte[] expected = jdk.doFinal(plain);

            // byte arrays
            Cipher ours = Cipher.getInstance("AES/GCM/NoPadding", OURS);
            ours.init(Cipher.ENCRYPT_MODE, key, iv);
            ours.updateAAD(aad);
            assertThat(ours.doFinal(plain)).isEqualTo(expected);
            // byte buffers, as JSSE encrypts and decrypts records
            ByteBuffer record = ByteBuffer.allocate(size + 16);
            record.put(plain).flip();
            Cipher buffers = Cipher.getInstance("AES/GCM/NoPadding", OURS);
            buffers.init(Cipher.ENCRYPT_MODE, key, iv);
            buffers.updateAAD(aad);
            ByteBuffer sealed = ByteBuffer.allocate(size + 16);
            assertThat(buffers.doFinal(record, sealed)).isEqualTo(size + 16);
            assertThat(sealed.array()).isEqualTo(expected);

            Cipher decrypting = Cipher.getInstance("AES/GCM/NoPadding", OURS);
            decrypting.init(Cipher.DECRYPT_MODE, key, iv);
            decrypting.updateAAD(ByteBuffer.wrap(aad));
            ByteBuffer opened = ByteBuffer.allocate(size);
            assertThat(decrypting.doFinal(ByteBuffer.wrap(expected), opened)).isEqualTo(size);
            assertThat(opened.array()).isEqualTo(plain);
            // ciphertext given in parts through update, the tag with doFinal() and no more input
            decrypting.init(Cipher.DECRYPT_MODE, key, iv);
            decrypting.updateAAD(aad);
            byte[] first = decrypting.update(expected, 0, expected.length / 2);
            byte[] second = decrypting.update(expected, expected.length / 2, expected.length - expected.length / 2);
            byte[] last = decrypting.doFinal();
            assertThat(concat(first, second, last)).isEqualTo(plain);
        }
    }

    @Test
    void aForgedRecordIsRefusedWithTheJdksOwnException() throws Exception {
        SecretKey key = key(16);
        GCMParameterSpec iv = iv();
        Cipher ours = encrypting(key, iv);
        byte[] sealed = ours.doFinal(bytes(40));
        sealed[3] ^= 1;

        ours.init(Cipher.DECRYPT_MODE, key, iv);
        assertThatThrownBy(() -> ours.doFinal(sealed)).isInstanceOf(AEADBadTagException.class)
                .satisfies(e -> assertThat(e.getStackTrace()).isNotEmpty());
        // The cipher is ready for the next record under the same key afterwards, as the JDK's is.
        sealed[3] ^= 1;
        assertThat(ours.doFinal(sealed)).hasSize(40);
    }

    @Test
    void discardingADecryptingCipherFailsWithoutAStackTrace() throws Exception {
        Cipher ours = Cipher.getInstance("AES/GCM/NoPadding", OURS);
        ours.init(Cipher.DECRYPT_MODE, key(32), iv());

        // What JSSE's dispose() does: doFinal() with nothing given.
        assertThatThrownBy(ours::doFinal).isInstanceOf(AEADBadTagException.class)
                .satisfies(e -> assertThat(e.getStackTrace()).isEmpty());
        // Less ciphertext than a tag is refused the same way on the other paths.
        assertThatThrownBy(() -> ours.doFinal(ByteBuffer.allocate(11), ByteBuffer.allocate(64)))
                .isInstanceOf(AEADBadTagException.class);
        assertThatThrownBy(() -> ours.doFinal(new byte[5], 0, 5, new byte[64], 0)).isInstanceOf(AEADBadTagException.class);
    }

    @Test
    void aFinishedEncryptingCipherRefusesMoreWithoutAStackTraceAndNeverReusesItsIv() throws Exception {
        SecretKey key = key(16);
        GCMParameterSpec iv = iv();
        Cipher ours = encrypting(key, iv);
        ours.doFinal(bytes(20));

        assertThatThrownBy(ours::doFinal).isInstanceOf(IllegalStateException.class)
                .satisfies(e -> assertThat(e.getStackTrace()).isEmpty());
        assertThatThrownBy(() -> ours.update(bytes(3))).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> ours.updateAAD(bytes(3))).isInstanceOf(IllegalStateException.class);
        // The JDK's rule stands: the same key and IV are not used to encrypt twice.
        assertThatThrownBy(() -> ours.init(Cipher.ENCRYPT_MODE, key, iv))
                .isInstanceOf(InvalidAlgorithmParameterException.class);
        ours.init(Cipher.ENCRYPT_MODE, key, iv());
        assertThat(ours.doFinal(bytes(20))).hasSize(36);
    }

    @Test
    void tooLittleRoomLeavesTheCipherAsItWas() throws Exception {
        SecretKey key = key(16);
        GCMParameterSpec iv = iv();
        byte[] plain = bytes(64);
        Cipher ours = encrypting(key, iv);
        ByteBuffer input = ByteBuffer.wrap(plain);
        assertThatThrownBy(() -> ours.doFinal(input, ByteBuffer.allocate(10))).isInstanceOf(ShortBufferException.class);
        ByteBuffer sealed = ByteBuffer.allocate(80);
        assertThat(ours.doFinal(input, sealed)).isEqualTo(80);

        ours.init(Cipher.DECRYPT_MODE, key, iv);
        byte[] out = new byte[10];
        assertThatThrownBy(() -> ours.doFinal(sealed.array(), 0, 80, out, 0)).isInstanceOf(ShortBufferException.class);
        byte[] enough = new byte[64];
        assertThat(ours.doFinal(sealed.array(), 0, 80, enough, 0)).isEqualTo(64);
        assertThat(enough).isEqualTo(plain);
    }

    @Test
    void aProviderConfiguredFirstKeepsItsPlace() {
        assertThat(TlsCryptoProvider.jdkFirst("SUN")).isTrue();
        assertThat(TlsCryptoProvider.jdkFirst(" SUN ")).isTrue();
        assertThat(TlsCryptoProvider.jdkFirst(null)).isTrue();
        // A FIPS module or a token configured first in java.security.
        assertThat(TlsCryptoProvider.jdkFirst("SunPKCS11 /etc/nss-fips.cfg")).isFalse();
        assertThat(TlsCryptoProvider.jdkFirst("com.example.FipsProvider")).isFalse();
    }

    @Test
    void jsseGetsThisCipherWhenItAsksForAesGcm() throws Exception {
        Cipher any = Cipher.getInstance("AES/GCM/NoPadding");
        any.init(Cipher.ENCRYPT_MODE, key(16), iv());
        assertThat(any.getProvider().getName()).isEqualTo(OURS);
        // Other AES modes stay the JDK's.
        assertThat(Cipher.getInstance("AES/CTR/NoPadding").getProvider().getName()).isEqualTo("SunJCE");
    }

    @Test
    void theOutputArrayPathsGiveWhatTheJdksGive() throws Exception {
        SecretKey key = key(16);
        GCMParameterSpec iv = iv();
        byte[] plain = bytes(30);
        Cipher jdk = Cipher.getInstance("AES/GCM/NoPadding", "SunJCE");
        jdk.init(Cipher.ENCRYPT_MODE, key, iv);
        byte[] expected = jdk.doFinal(plain);

        // update into an array, then doFinal(output, offset): the JCA passes no input for that.
        Cipher ours = encrypting(key, iv);
        byte[] sealed = new byte[64];
        int n = ours.update(plain, 0, plain.length, sealed, 0);
        n += ours.doFinal(sealed, n);
        assertThat(Arrays.copyOf(sealed, n)).isEqualTo(expected);

        ours.init(Cipher.DECRYPT_MODE, key, iv);
        byte[] opened = new byte[64];
        int m = ours.update(expected, 0, expected.length, opened, 0);
        m += ours.doFinal(opened, m);
        assertThat(Arrays.copyOf(opened, m)).isEqualTo(plain);
    }

    @Test
    void aDecryptingCipherTakesTheNextMessageAfterARefusal() throws Exception {
        SecretKey key = key(16);
        GCMParameterSpec iv = iv();
        byte[] aad = bytes(7);
        Cipher sealer = encrypting(key, iv);
        sealer.updateAAD(aad);
        byte[] sealed = sealer.doFinal(bytes(20));
        Cipher ours = Cipher.getInstance("AES/GCM/NoPadding", OURS);
        ours.init(Cipher.DECRYPT_MODE, key, iv);

        // Refused here, without the JDK's cipher, which is given nothing.
        assertThatThrownBy(ours::doFinal).isInstanceOf(AEADBadTagException.class);
        ours.updateAAD(aad);
        assertThat(ours.doFinal(sealed)).hasSize(20);
        // Refused by the JDK's cipher, which then forgets the additional data it was given.
        ours.updateAAD(bytes(3));
        assertThatThrownBy(ours::doFinal).isInstanceOf(Exception.class);
        ours.updateAAD(aad);
        assertThat(ours.doFinal(sealed)).hasSize(20);
    }

    @Test
    void aShortTagOnNothingStillOpens() throws Exception {
        SecretKey key = key(16);
        GCMParameterSpec iv = new GCMParameterSpec(96, bytes(12));
        Cipher ours = encrypting(key, iv);
        byte[] tagOnly = ours.doFinal(new byte[0]);
        assertThat(tagOnly).hasSize(12);

        ours.init(Cipher.DECRYPT_MODE, key, iv);
        assertThat(ours.doFinal(tagOnly)).isEmpty();
    }

    /**
     * Random sequences of the calls a user of the JCA can make, on this cipher and on the JDK's
     * side by side: each call succeeds on both with the same result, or fails on both. (The seed
     * is fixed, so a failure can be replayed.)
     */
    @Test
    void behavesAsTheJdksCipherOverRandomSequencesOfCalls() throws Exception {
        Random random = new Random(20261127);
        for (int sequence = 0; sequence < 400; sequence++) {
            SecretKey key = key(16);
            GCMParameterSpec iv = iv();
            byte[] aad = bytes(5);
            Cipher sealer = encrypting(key, iv);
            sealer.updateAAD(aad);
            byte[] valid = sealer.doFinal(bytes(random.nextInt(40)));
            Cipher jdk = Cipher.getInstance("AES/GCM/NoPadding", "SunJCE");
            Cipher ours = Cipher.getInstance("AES/GCM/NoPadding", OURS);
            StringBuilder calls = new StringBuilder();
            for (int step = 0; step < 14; step++) {
                int call = random.nextInt(12);
                byte[] some = bytes(random.nextInt(20));
                GCMParameterSpec freshIv = iv();
                int room = random.nextBoolean() ? 128 : 4;
                int split = random.nextInt(valid.length + 1);
                calls.append(call).append(' ');
                CipherCall op = c -> switch (call) {
                    case 0 -> { c.init(Cipher.DECRYPT_MODE, key, iv); yield "init"; }
                    case 1 -> { c.init(Cipher.ENCRYPT_MODE, key, freshIv); yield "init"; }
                    case 2 -> { c.init(Cipher.ENCRYPT_MODE, key, iv); yield "init"; }
                    case 3 -> { c.updateAAD(aad); yield "aad"; }
                    case 4 -> c.update(some);
                    case 5 -> c.update(valid, 0, split);
                    case 6 -> c.doFinal();
                    case 7 -> c.doFinal(valid, split, valid.length - split);
                    case 8 -> {
                        ByteBuffer out = ByteBuffer.allocate(room);
                        int n = c.doFinal(ByteBuffer.wrap(valid), out);
                        yield Arrays.copyOf(out.array(), n);
                    }
                    case 9 -> {
                        byte[] out = new byte[room];
                        int n = c.doFinal(out, 0);
                        yield Arrays.copyOf(out, n);
                    }
                    case 10 -> c.doFinal(Arrays.copyOf(some, some.length % 12));
                    default -> {
                        ByteBuffer out = ByteBuffer.allocate(room);
                        int n = c.update(ByteBuffer.wrap(some), out);
                        yield Arrays.copyOf(out.array(), n);
                    }
                };
                Object expected = outcome(op, jdk);
                Object actual = outcome(op, ours);
                assertThat(describe(actual)).as("calls %s(sequence %d)", calls, sequence).isEqualTo(describe(expected));
            }
        }
    }

    private interface CipherCall {
        Object on(Cipher cipher) throws Exception;
    }

    private static Object outcome(CipherCall call, Cipher cipher) {
        try {
            return call.on(cipher);
        } catch (Exception e) {
            return e;
        }
    }

    /** A result's bytes, or only that it failed: the two ciphers may fail with different exceptions. */
    private static String describe(Object outcome) {
        if (outcome instanceof Exception) {
            return "failed";
        }
        return outcome instanceof byte[] bytes ? HexFormat.of().formatHex(bytes) : String.valueOf(outcome);
    }

    private static Cipher encrypting(SecretKey key, GCMParameterSpec iv) throws Exception {
        Cipher ours = Cipher.getInstance("AES/GCM/NoPadding", OURS);
        ours.init(Cipher.ENCRYPT_MODE, key, iv);
        return ours;
    }

    private static SecretKey key(int bytes) {
        return new SecretKeySpec(bytes(bytes), "AES");
    }

    private static GCMParameterSpec iv() {
        return new GCMParameterSpec(128, bytes(12));
    }

    private static byte[] bytes(int n) {
        byte[] out = new byte[n];
        RANDOM.nextBytes(out);
        return out;
    }

    private static byte[] concat(byte[]... parts) {
        byte[] out = new byte[0];
        for (byte[] part : parts) {
            if (part != null) {
                int at = out.length;
                out = Arrays.copyOf(out, at + part.length);
                System.arraycopy(part, 0, out, at, part.length);
            }
        }
        return out;
    }
}
