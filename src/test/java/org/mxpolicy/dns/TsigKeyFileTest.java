package org.mxpolicy.dns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.mxpolicy.finding.Finding;
import org.mxpolicy.finding.InvalidInputException;
import org.mxpolicy.finding.Severity;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.TSIG;
import org.xbill.DNS.Type;

class TsigKeyFileTest {

    private static final Path DIR = Path.of("src/test/resources/dns/tsig");

    private static TsigKeyFile read(String file) throws IOException, InvalidInputException {
        return TsigKeyFile.read(new StringReader(Files.readString(DIR.resolve(file), StandardCharsets.UTF_8)), file);
    }

    private static InvalidInputException bad(String text) {
        return catchThrowableOfType(
                InvalidInputException.class, () -> TsigKeyFile.read(new StringReader(text), "bad.key"));
    }

    /**
     * The key signs a message that a TSIG made independently from the same name, algorithm and
     * base64 secret accepts: name, algorithm and secret all came through.
     */
    private static void assertSignsLike(TsigKeyFile.Key key, String algorithm, String name, String base64Secret)
            throws IOException {
        Message query = Message.newQuery(Record.newRecord(Name.fromString("lab.example."), Type.SOA, DClass.IN));
        query.setTSIG(key.tsig());
        byte[] wire = query.toWire(65535);
        Message received = new Message(wire);
        TSIG independent = new TSIG(algorithm, name, base64Secret);
        assertThat(independent.verify(received, wire, null))
                .as("TSIG verification")
                .isEqualTo(Rcode.NOERROR);
    }

    @Test
    void readsTsigKeygenOutput() throws Exception {
        TsigKeyFile file = read("tsig-keygen.key");

        TsigKeyFile.Key key = file.select(Optional.empty());

        assertThat(key.name()).isEqualTo(Name.fromString("update.lab.example."));
        assertThat(key.algorithm()).isEqualTo("hmac-sha512");
        assertThat(key.warnings()).isEmpty();
        assertThat(key.position().toString()).isEqualTo("tsig-keygen.key:1:5");
        assertSignsLike(
                key,
                "hmac-sha512",
                "update.lab.example.",
                "FlNzYq7ELiSCedqNpiRDcNFkQfg5MWE6KuuhqFJKpVSPtOILP0DyyZ6C6HGAc9fZ6xuOdJJrYrERBBOU3GwQ4w==");
    }

    @Test
    void readsTheKeyOfRndcConfgenOutputSkippingOtherStatements() throws Exception {
        TsigKeyFile.Key key = read("rndc-confgen.conf").select(Optional.empty());

        assertThat(key.name()).isEqualTo(Name.fromString("rk."));
        assertSignsLike(key, "hmac-sha256", "rk.", "HGBN5nNnFfy8rAeuE8IR22DyRm4y+G8XM9mGZCb0mgo=");
    }

    @Test
    void readsKnotKeymgrOutput() throws Exception {
        TsigKeyFile.Key key = read("keymgr.yaml").select(Optional.empty());

        assertThat(key.name()).isEqualTo(Name.fromString("k1."));
        assertThat(key.position().toString()).isEqualTo("keymgr.yaml:3:9");
        assertSignsLike(key, "hmac-sha256", "k1.", "67nZs1VMNtPGNrNtbn9oGZpxG1g7jI8+veUTe/jIB4k=");
    }

    @Test
    void severalKeysWithAllCommentStylesAreSelectedByName() throws Exception {
        TsigKeyFile file = read("two-keys.conf");

        TsigKeyFile.Key primary = file.select(Optional.of(Name.fromString("primary.")));
        TsigKeyFile.Key legacy = file.select(Optional.of(Name.fromString("legacy.")));

        assertThat(file.keys()).extracting(k -> k.name().toString()).containsExactly("primary.", "legacy.");
        assertThat(primary.algorithm()).as("the default algorithm").isEqualTo("hmac-sha256");
        assertSignsLike(primary, "hmac-sha256", "primary.", "67nZs1VMNtPGNrNtbn9oGZpxG1g7jI8+veUTe/jIB4k=");
        assertSignsLike(legacy, "hmac-sha1", "legacy.", "HGBN5nNnFfy8rAeuE8IR22DyRm4y+G8XM9mGZCb0mgo=");
        assertThat(legacy.warnings()).singleElement().satisfies(w -> {
            assertThat(w.severity()).isEqualTo(Severity.WARNING);
            assertThat(w.format()).startsWith("two-keys.conf:8:12: warning: key legacy uses hmac-sha1");
        });
    }

    @Test
    void withSeveralKeysANameIsNeededAndMustExist() throws Exception {
        TsigKeyFile file = read("two-keys.conf");

        InvalidInputException none =
                catchThrowableOfType(InvalidInputException.class, () -> file.select(Optional.empty()));
        InvalidInputException unknown = catchThrowableOfType(
                InvalidInputException.class, () -> file.select(Optional.of(Name.fromString("other."))));

        assertThat(none.getMessage())
                .isEqualTo(
                        "two-keys.conf: error: holds 2 keys (primary., legacy.); name the one to use [tsig.key-name]");
        assertThat(unknown.getMessage())
                .isEqualTo(
                        "two-keys.conf: error: holds no key named other.; its keys: primary., legacy. [tsig.key-name]");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            unknown algorithm   | key "k" {\\n algorithm hmac-md5;\\n secret "c2VjcmV0";\\n};                 | bad.key:2:12: error: unsupported TSIG algorithm 'hmac-md5'
            missing semicolon   | key "k" {\\n  algorithm hmac-sha256\\n  secret "c2VjcmV0";\\n};              | bad.key:3:3: error: expected ';' after algorithm hmac-sha256, found 'secret'
            secret not base64   | key "k" {\\n  secret "not base64!";\\n};                                     | bad.key:2:10: error: the secret of key k is not base64
            empty secret        | key "k" { secret ""; };                                                       | bad.key:1:18: error: the secret of key k is empty
            no secret           | key "k" { algorithm hmac-sha256; };                                           | bad.key:1:5: error: key k has no secret
            string not closed   | key "k {\\n};                                                                 | bad.key:1:5: error: string not closed with '\"' on its line
            comment not closed  | /* a key\\nkey "k" { secret "c2VjcmV0"; };                                    | bad.key:1:1: error: comment not closed with '*/'
            missing close       | key "k" { secret "c2VjcmV0";                                                   | bad.key:1:29: error: expected 'algorithm', 'secret' or '}', found the end of the file
            unknown clause      | key "k" {\\n  secret "c2VjcmV0";\\n  owner x;\\n};                           | bad.key:3:3: error: unknown clause 'owner' in key k
            no key at all       | # nothing here\\n                                                             | bad.key: error: holds no TSIG key
            knot: unknown field | key:\\n  - id: k\\n    secret: c2VjcmV0\\n    storage: x\\n                  | bad.key:4:5: error: unknown field 'storage' in key k
            knot: bad algorithm | key:\\n  - id: k\\n    algorithm: hmac-sha999\\n    secret: c2VjcmV0\\n      | bad.key:3:16: error: unsupported TSIG algorithm 'hmac-sha999'
            """)
    void badFilesAreReportedWithTheirPosition(String what, String text, String expected) {
        InvalidInputException e = bad(text.replace("\\n", "\n"));

        assertThat(e).as(what).isNotNull();
        assertThat(e.findings())
                .extracting(Finding::format)
                .anySatisfy(f -> assertThat(f).startsWith(expected));
        assertThat(e.exitCode()).isEqualTo(2);
    }

    @Test
    void everyProblemOfAFileIsReported() {
        InvalidInputException e = bad("""
                key "a" { algorithm hmac-md5; secret "c2VjcmV0"; };
                key "b" { secret "%%%"; };
                """);

        assertThat(e.findings())
                .extracting(Finding::format)
                .satisfiesExactly(
                        a -> assertThat(a).startsWith("bad.key:1:21: error: unsupported TSIG algorithm 'hmac-md5'"),
                        b -> assertThat(b).startsWith("bad.key:2:18: error: the secret of key b is not base64"));
    }
}
