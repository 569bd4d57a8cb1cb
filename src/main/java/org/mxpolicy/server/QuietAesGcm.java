package org.mxpolicy.server;

import java.nio.ByteBuffer;
import java.security.AlgorithmParameters;
import java.security.InvalidAlgorithmParameterException;
import java.security.InvalidKeyException;
import java.security.Key;
import java.security.NoSuchAlgorithmException;
import java.security.Provider;
import java.security.SecureRandom;
import java.security.Security;
import java.security.spec.AlgorithmParameterSpec;
import java.util.Arrays;
import javax.crypto.AEADBadTagException;
import javax.crypto.BadPaddingException;
import javax.crypto.Cipher;
import javax.crypto.CipherSpi;
import javax.crypto.IllegalBlockSizeException;
import javax.crypto.NoSuchPaddingException;
import javax.crypto.ShortBufferException;

/**
 * AES-GCM for the JDK's TLS: the JDK's own cipher ({@code SunJCE}), with the two calls that JSSE
 * makes to fail on purpose answered without building a stack trace.
 *
 * <p><b>Why.</b> When JSSE is done with a record key (after the handshake, and at close) it
 * "disposes" of the cipher by calling {@code doFinal()} on it with no data and swallowing what is
 * thrown: a decrypting cipher with no ciphertext throws (on Java 17 an
 * {@code ArrayIndexOutOfBoundsException} wrapped twice, three stack traces; on Java 25 an
 * {@code AEADBadTagException}), an encrypting one that has finished throws
 * {@code IllegalStateException}. A TLS 1.3 connection disposes of four ciphers, deep in Jetty's
 * stack: about 4 % of the CPU time of a policy server connection went into those exceptions
 * (async-profiler, bench/README.md).
 *
 * <p><b>What it changes.</b> Only what is thrown in those two cases: a decrypting
 * {@code doFinal} with less than a tag of ciphertext and nothing given before it since
 * {@code init} or the last {@code doFinal} (what JSSE's disposal does) throws
 * {@link AEADBadTagException}, and an encrypting cipher used after {@code doFinal} without a new
 * {@code init} throws {@link IllegalStateException}, both without a stack trace (they are
 * expected and caught). Every other call, and every result, is the JDK cipher's, which this
 * class holds and calls. An encrypting cipher still refuses to be used again with the same key
 * and IV.
 */
public final class QuietAesGcm extends CipherSpi {

    static final String TRANSFORMATION = "AES/GCM/NoPadding";
    /** The bytes of a GCM tag that JSSE and the JDK use (128 bits); a shorter tag only lowers the bar. */
    private static final int MIN_TAG_BYTES = 12;

    private static final Provider SUN_JCE = Security.getProvider("SunJCE");

    private final Cipher jdk;
    private boolean decrypting;
    /** Encrypting: the cipher finished and needs a new init. */
    private boolean finished;
    /**
     * The JDK's cipher has been given nothing since the last init or successful doFinal: no
     * additional data, no ciphertext, no failed doFinal. Only then is a short ciphertext
     * refused here; in any other state the JDK's cipher decides.
     */
    private boolean clean;

    /** Made by the JCA for every {@code Cipher.getInstance}: JSSE takes four per TLS 1.3 connection. */
    public QuietAesGcm() throws NoSuchAlgorithmException, NoSuchPaddingException {
        if (SUN_JCE == null) {
            throw new NoSuchAlgorithmException("the JDK's SunJCE provider is not there");
        }
        jdk = Cipher.getInstance(TRANSFORMATION, SUN_JCE);
    }

    @Override
    protected void engineSetMode(String mode) throws NoSuchAlgorithmException {
        if (!"GCM".equalsIgnoreCase(mode)) {
            throw new NoSuchAlgorithmException("only GCM here");
        }
    }

    @Override
    protected void engineSetPadding(String padding) throws NoSuchPaddingException {
        if (!"NoPadding".equalsIgnoreCase(padding)) {
            throw new NoSuchPaddingException("only NoPadding here");
        }
    }

    @Override
    protected int engineGetBlockSize() {
        return jdk.getBlockSize();
    }

    @Override
    protected int engineGetOutputSize(int inputLen) {
        return jdk.getOutputSize(inputLen);
    }

    @Override
    protected byte[] engineGetIV() {
        return jdk.getIV();
    }

    @Override
    protected AlgorithmParameters engineGetParameters() {
        return jdk.getParameters();
    }

    @Override
    protected int engineGetKeySize(Key key) throws InvalidKeyException {
        byte[] encoded = key.getEncoded();
        if (encoded == null) {
            throw new InvalidKeyException("an AES key without its bytes");
        }
        int bits = encoded.length * 8;
        Arrays.fill(encoded, (byte) 0);
        if (bits != 128 && bits != 192 && bits != 256) {
            throw new InvalidKeyException("an AES key of " + bits + " bits");
        }
        return bits;
    }

    @Override
    protected void engineInit(int opmode, Key key, SecureRandom random) throws InvalidKeyException {
        jdk.init(opmode, key, random);
        started(opmode);
    }

    @Override
    protected void engineInit(int opmode, Key key, AlgorithmParameterSpec params, SecureRandom random)
            throws InvalidKeyException, InvalidAlgorithmParameterException {
        jdk.init(opmode, key, params, random);
        started(opmode);
    }

    @Override
    protected void engineInit(int opmode, Key key, AlgorithmParameters params, SecureRandom random)
            throws InvalidKeyException, InvalidAlgorithmParameterException {
        jdk.init(opmode, key, params, random);
        started(opmode);
    }

    private void started(int opmode) {
        decrypting = opmode == Cipher.DECRYPT_MODE || opmode == Cipher.UNWRAP_MODE;
        finished = false;
        clean = true;
    }

    @Override
    protected void engineUpdateAAD(byte[] src, int offset, int len) {
        giving();
        jdk.updateAAD(src, offset, len);
    }

    @Override
    protected void engineUpdateAAD(ByteBuffer src) {
        giving();
        jdk.updateAAD(src);
    }

    @Override
    protected byte[] engineUpdate(byte[] input, int inputOffset, int inputLen) {
        giving();
        return jdk.update(input, inputOffset, inputLen);
    }

    @Override
    protected int engineUpdate(byte[] input, int inputOffset, int inputLen, byte[] output, int outputOffset)
            throws ShortBufferException {
        giving();
        return jdk.update(input, inputOffset, inputLen, output, outputOffset);
    }

    @Override
    protected int engineUpdate(ByteBuffer input, ByteBuffer output) throws ShortBufferException {
        giving();
        return jdk.update(input, output);
    }

    // Each doFinal marks the cipher as given something before it calls the JDK's: one that
    // throws (a short output buffer, a forged record) leaves the JDK's cipher to decide what
    // comes next, so this class may refuse less than the JDK would, never more.

    @Override
    protected byte[] engineDoFinal(byte[] input, int inputOffset, int inputLen)
            throws IllegalBlockSizeException, BadPaddingException {
        finishing(input == null ? 0 : inputLen);
        byte[] out = input == null ? jdk.doFinal() : jdk.doFinal(input, inputOffset, inputLen);
        ended();
        return out;
    }

    @Override
    protected int engineDoFinal(byte[] input, int inputOffset, int inputLen, byte[] output, int outputOffset)
            throws ShortBufferException, IllegalBlockSizeException, BadPaddingException {
        finishing(input == null ? 0 : inputLen);
        // Cipher.doFinal(output, offset) comes here without input, which the JDK's takes only so.
        int n = input == null ? jdk.doFinal(output, outputOffset)
                : jdk.doFinal(input, inputOffset, inputLen, output, outputOffset);
        ended();
        return n;
    }

    @Override
    protected int engineDoFinal(ByteBuffer input, ByteBuffer output)
            throws ShortBufferException, IllegalBlockSizeException, BadPaddingException {
        finishing(input.remaining());
        int n = jdk.doFinal(input, output);
        ended();
        return n;
    }

    @Override
    protected byte[] engineWrap(Key key) throws IllegalBlockSizeException, InvalidKeyException {
        giving();
        byte[] out = jdk.wrap(key);
        ended();
        return out;
    }

    @Override
    protected Key engineUnwrap(byte[] wrappedKey, String wrappedKeyAlgorithm, int wrappedKeyType)
            throws InvalidKeyException, NoSuchAlgorithmException {
        giving();
        Key key = jdk.unwrap(wrappedKey, wrappedKeyAlgorithm, wrappedKeyType);
        ended();
        return key;
    }

    /**
     * After a doFinal the JDK's decrypting cipher is ready for the next message under the same
     * key and IV, and its encrypting one refuses everything until init.
     */
    private void ended() {
        clean = true;
        finished = !decrypting;
    }

    /** Before anything is given to the JDK's cipher: refused once encrypting has finished. */
    private void giving() {
        if (finished) {
            throw new Expected.NeedsInit();
        }
        clean = false;
    }

    /**
     * Before a doFinal: refused once encrypting has finished, and, decrypting with nothing given
     * before, with less ciphertext than a tag, which the JDK's cipher would refuse anyway; that
     * refusal does not call the JDK's cipher, which stays as it is, clean.
     */
    private void finishing(int len) throws AEADBadTagException {
        if (decrypting && clean && len < MIN_TAG_BYTES) {
            throw new Expected.NoTag();
        }
        giving();
    }

    /** Failures that callers provoke on purpose and catch: no stack trace to fill in. */
    private static final class Expected {
        private Expected() {}

        static final class NeedsInit extends IllegalStateException {
            private static final long serialVersionUID = 1L;

            NeedsInit() {
                super("AES-GCM encryption finished: init with a new key or IV first");
            }

            @Override
            public synchronized Throwable fillInStackTrace() {
                return this;
            }
        }

        static final class NoTag extends AEADBadTagException {
            private static final long serialVersionUID = 1L;

            NoTag() {
                super("AES-GCM ciphertext shorter than its tag");
            }

            @Override
            public synchronized Throwable fillInStackTrace() {
                return this;
            }
        }
    }
}
