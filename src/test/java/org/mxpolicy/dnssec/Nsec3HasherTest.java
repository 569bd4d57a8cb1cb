package org.mxpolicy.dnssec;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HexFormat;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.xbill.DNS.Name;

class Nsec3HasherTest {

    /** RFC 5155 appendix A: zone "example", salt aabbccdd, 12 additional iterations. */
    @ParameterizedTest
    @CsvSource({
        "example,         0p9mhaveqvm6t7vbl5lop2u3t2rp3tom",
        "a.example,       35mthgpgcu1qg68fab165klnsnk3dpvl",
        "ai.example,      gjeqe526plbf1g8mklp59enfd789njgi",
        "ns1.example,     2t7b4g4vsa5smi47k61mv5bv1a22bojr",
        "ns2.example,     q04jkcevqvmu85r014c7dkba38o0ji5r",
        "w.example,       k8udemvp1j2f7eg6jebps17vp3n8i58h",
        "*.w.example,     r53bq7cc2uvmubfu5ocmm6pers9tk9en",
        "x.w.example,     b4um86eghhds6nea196smvmlo4ors995",
        "y.w.example,     ji6neoaepv8b5o6k4ev33abha8ht9fgc",
        "x.y.w.example,   2vptu5timamqttgl4luu9kg21e0aor3s",
        "xx.example,      t644ebqk9bibcna874givr6joj62mlhv",
        "A.EXAMPLE,       35mthgpgcu1qg68fab165klnsnk3dpvl",
    })
    void hashesTheRfc5155Examples(String name, String hash) {
        Nsec3Hasher hasher = new Nsec3Hasher(12, HexFormat.of().parseHex("aabbccdd"));

        byte[] digest = hasher.hash(Name.fromConstantString(name + "."));

        assertThat(Nsec3Hasher.base32hex(digest)).isEqualTo(hash);
        assertThat(Nsec3Hasher.fromBase32hex(hash.toUpperCase(java.util.Locale.ROOT)))
                .isEqualTo(digest);
    }

    @ParameterizedTest
    @CsvSource({
        "'', ''",
        "66, co",
        "666f, cpng",
        "666f6f, cpnmu",
        "666f6f62, cpnmuog",
        "666f6f6261, cpnmuoj1",
        "666f6f626172, cpnmuoj1e8"
    })
    void base32hexIsRfc4648SectionSevenWithoutPadding(String hex, String expected) {
        assertThat(Nsec3Hasher.base32hex(HexFormat.of().parseHex(hex))).isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource({"short", "0p9mhaveqvm6t7vbl5lop2u3t2rp3toz", "0p9mhaveqvm6t7vbl5lop2u3t2rp3to"})
    void labelsThatAreNoSha1HashAreNotDecoded(String label) {
        assertThat(Nsec3Hasher.fromBase32hex(label)).isNull();
    }
}
