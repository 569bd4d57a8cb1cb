package org.mxpolicy.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.mxpolicy.testing.Cli;

/**
 * {@code check --shard K/N} and {@code check --merge} through the command line, offline: the
 * configured resolver and name servers are a closed loopback port, so every observation is the
 * same UNKNOWN or WARNING on every run and a sharded run can be compared with an unsharded one.
 */
class CheckShardTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    @TempDir
    Path dir;

    private Path config;

    @BeforeEach
    void writeConfig() throws Exception {
        Files.copy(Path.of("examples/certs/mx1.example.com/fullchain.pem"), dir.resolve("mx1.pem"));
        Files.copy(Path.of("examples/certs/mx2.example.com/fullchain.pem"), dir.resolve("mx2.pem"));
        // example.org holds two customer domains and the nested zone c4.example.org: one group
        config = config("cfg.yaml", "");
    }

    private Path config(String name, String extraDomain) throws Exception {
        return Files.writeString(dir.resolve(name), """
                zones:
                  example.com: { ttl: 3600, nameservers: [ "127.0.0.1:9" ] }
                  c1.example.net: { ttl: 3600, nameservers: [ "127.0.0.1:9" ] }
                  c2.example.net: { ttl: 3600, nameservers: [ "127.0.0.1:9" ] }
                  c3.example.net: { ttl: 3600, nameservers: [ "127.0.0.1:9" ] }
                  c4.example.org: { ttl: 3600, nameservers: [ "127.0.0.1:9" ] }
                  example.org: { ttl: 3600, nameservers: [ "127.0.0.1:9" ] }
                dns:
                  resolvers: [ "127.0.0.1:9" ]
                mx_hosts:
                  - host: mx1.example.com
                    cert: mx1.pem
                  - host: mx2.example.com
                    cert: mx2.pem
                profiles:
                  hosted:
                    mx: [mx1.example.com, mx2.example.com]
                    mta_sts: { mode: testing, max_age: 86400, mx: ["*.example.com"] }
                domains:
                  - { name: example.com, profile: hosted }
                  - { name: c1.example.net, profile: hosted }
                  - { name: c2.example.net, profile: hosted }
                  - { name: c3.example.net, profile: hosted }
                  - { name: c4.example.org, profile: hosted }
                  - { name: c5.example.org, profile: hosted }
                  - { name: c6.example.org, profile: hosted }
                  - { name: c7.example.info, mx: [mx1.example.com] }
                """ + extraDomain);
    }

    private Cli.Run check(String... extra) {
        List<String> args = new ArrayList<>(List.of("check", "-c", config.toString(), "--timeout", "2s"));
        args.addAll(List.of(extra));
        return Cli.run(args.toArray(String[]::new));
    }

    private Path shard(int k, int n) throws Exception {
        Path out = dir.resolve("shard-" + k + "-of-" + n + ".json");
        Cli.Run run = check("--shard", k + "/" + n, "--format", "json", "-o", out.toString());
        assertThat(run.exitCode()).as(run.stderr()).isEqualTo(3);
        return out;
    }

    private static List<String> results(JsonNode report) {
        List<String> lines = new ArrayList<>();
        report.path("results")
                .forEach(r -> lines.add(r.path("status").asText() + " "
                        + r.path("subject").asText() + " " + r.path("id").asText() + " "
                        + r.path("message").asText()));
        return lines;
    }

    @Test
    void theShardsTogetherCheckWhatOneRunChecksEachThingOnce() throws Exception {
        Cli.Run whole = check("--format", "json");
        JsonNode unsharded = MAPPER.readTree(whole.stdout());
        int n = 3;
        Map<String, Set<Integer>> shardsOfSubject = new HashMap<>();
        List<String> union = new ArrayList<>();
        List<Path> files = new ArrayList<>();
        for (int k = 1; k <= n; k++) {
            Path file = shard(k, n);
            files.add(file);
            JsonNode report = MAPPER.readTree(file.toFile());
            assertThat(report.path("shard").path("index").asInt()).isEqualTo(k);
            assertThat(report.path("shard").path("count").asInt()).isEqualTo(n);
            union.addAll(results(report));
            int shard = k;
            report.path("results")
                    .forEach(r -> shardsOfSubject
                            .computeIfAbsent(r.path("subject").asText(), s -> new TreeSet<>())
                            .add(shard));
        }

        assertThat(union).containsExactlyInAnyOrderElementsOf(results(unsharded));
        assertThat(shardsOfSubject)
                .allSatisfy((subject, shards) -> assertThat(shards).as(subject).hasSize(1));
        // every domain, the shared MX hosts and every zone are someone's
        assertThat(shardsOfSubject)
                .containsKeys(
                        "example.com",
                        "c1.example.net",
                        "c2.example.net",
                        "c3.example.net",
                        "c4.example.org",
                        "c5.example.org",
                        "c6.example.org",
                        "c7.example.info",
                        "example.org",
                        "mx1.example.com",
                        "mx2.example.com");
        // the MX hosts go with the zone that publishes their TLSA records, nested zones with their parent
        assertThat(shardsOfSubject.get("mx1.example.com")).isEqualTo(shardsOfSubject.get("example.com"));
        assertThat(shardsOfSubject.get("c4.example.org")).isEqualTo(shardsOfSubject.get("example.org"));
        assertThat(shardsOfSubject.get("c5.example.org")).isEqualTo(shardsOfSubject.get("example.org"));

        List<String> merge = new ArrayList<>(List.of("check", "--merge"));
        files.forEach(f -> merge.add(f.toString()));
        merge.addAll(List.of("--format", "json"));
        Cli.Run merged = Cli.run(merge.toArray(String[]::new));
        JsonNode report = MAPPER.readTree(merged.stdout());
        assertThat(results(report)).containsExactlyElementsOf(results(unsharded));
        assertThat(report.path("plans")).isEqualTo(unsharded.path("plans"));
        assertThat(report.path("status")).isEqualTo(unsharded.path("status"));
        assertThat(report.path("shards").path("merged").toString()).isEqualTo("[1,2,3]");
        assertThat(merged.exitCode()).isEqualTo(whole.exitCode()).isEqualTo(3);

        Cli.Run text = Cli.run(merge.subList(0, merge.size() - 2).toArray(String[]::new));
        assertThat(text.stdout()).contains("mxpolicy check: UNKNOWN (0 critical, ");
        assertThat(text.exitCode()).isEqualTo(3);
    }

    @Test
    void theSameShardOnEveryRunWhateverTheConfigOrder() throws Exception {
        String first = MAPPER.readTree(shard(2, 3).toFile()).path("results").toString();
        Files.writeString(config, Files.readString(config).replace("""
                  - { name: example.com, profile: hosted }
                  - { name: c1.example.net, profile: hosted }
                """, """
                  - { name: c1.example.net, profile: hosted }
                  - { name: example.com, profile: hosted }
                """));
        JsonNode again = MAPPER.readTree(shard(2, 3).toFile());
        assertThat(again.path("results").toString()).isEqualTo(first);
        // SHA-256 of the name, first 8 bytes unsigned, mod N: the same figures in any language
        assertThat(CheckShard.of("example.com", 3)).isEqualTo(2);
        assertThat(CheckShard.of("c1.example.net", 3)).isEqualTo(3);
        assertThat(CheckShard.of("Example.ORG.", 3)).isEqualTo(1);
        assertThat(CheckShard.of("example.com", 7)).isEqualTo(6);
    }

    @ParameterizedTest
    @ValueSource(strings = {"0/3", "4/3", "x", "1/0", "3", "-1/3", "1/3/4"})
    void aBadShardIsAUsageErrorOfOneLine(String value) {
        Cli.Run run = check("--shard", value);
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.errorLines()).hasSize(1);
        assertThat(run.firstErrorLine()).contains("--shard").contains(value);
    }

    @Test
    void mergeRefusesAMissingShardNamingWhich() throws Exception {
        Cli.Run run =
                Cli.run("check", "--merge", shard(1, 3).toString(), shard(3, 3).toString());
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.errorLines()).hasSize(1);
        assertThat(run.firstErrorLine()).contains("shard(s) 2 are not given");
    }

    @Test
    void mergeRefusesAShardGivenTwice() throws Exception {
        Path one = shard(1, 2);
        Path copy = Files.copy(one, dir.resolve("copy.json"));
        Cli.Run run = Cli.run(
                "check", "--merge", one.toString(), copy.toString(), shard(2, 2).toString());
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.errorLines()).hasSize(1);
        assertThat(run.firstErrorLine()).startsWith(copy.toString()).contains("shard 1/2 again");
    }

    @Test
    void mergeRefusesShardsOfDifferentConfigsOrCounts() throws Exception {
        Path one = shard(1, 2);
        config = config("other.yaml", "  - { name: c8.example.info, mx: [mx2.example.com] }\n");
        Path other = shard(2, 2);
        Cli.Run run = Cli.run("check", "--merge", one.toString(), other.toString());
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.errorLines()).hasSize(1);
        assertThat(run.firstErrorLine()).startsWith(other.toString()).contains("different config");

        Cli.Run againstConfig = Cli.run("check", "-c", config.toString(), "--merge", one.toString());
        assertThat(againstConfig.exitCode()).isEqualTo(2);
        assertThat(againstConfig.firstErrorLine()).startsWith(one.toString()).contains("different config");

        Cli.Run counts = Cli.run("check", "--merge", one.toString(), shard(2, 3).toString());
        assertThat(counts.exitCode()).isEqualTo(2);
        assertThat(counts.firstErrorLine()).contains("is shard 2/3").contains("one of 2 shards");
    }

    @Test
    void mergeRefusesWhatIsNotTheJsonOfAShard() throws Exception {
        Path text = dir.resolve("text.out");
        Files.writeString(text, check().stdout());
        Cli.Run run = Cli.run("check", "--merge", text.toString());
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.errorLines()).hasSize(1);
        assertThat(run.firstErrorLine()).startsWith(text.toString()).contains("not the JSON");

        Path unsharded = dir.resolve("whole.json");
        Files.writeString(unsharded, check("--format", "json").stdout());
        Cli.Run whole = Cli.run("check", "--merge", unsharded.toString());
        assertThat(whole.exitCode()).isEqualTo(2);
        assertThat(whole.firstErrorLine()).startsWith(unsharded.toString()).contains("not from a sharded run");
    }

    @Test
    void mergeNeedsNoConfigButCheckDoes() {
        Cli.Run run = Cli.run("check");
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.firstErrorLine()).contains("--config");
    }
}
