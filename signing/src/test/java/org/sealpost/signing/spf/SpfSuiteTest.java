package org.sealpost.signing.spf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;

/**
 * The openspf RFC 7208 test suite (shared/vectors/spf/rfc7208-tests.yml, release 2014.04), every
 * case, its zone data served by {@link ZoneDns}. As the suite asks of drivers for RFC 7208, a name's
 * "SPF" entries are served as its TXT records unless it has TXT entries of its own (type SPF is
 * never queried, 3.1); "TIMEOUT" times out the queries for types
 * the name has no records of. The expected explanation DEFAULT is the checker's own. A case that lists several results accepts any of them. No case is skipped.
 */
class SpfSuiteTest {

    private static final Clock NOW = Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC);

    record Case(String name, String helo, String host, String mailFrom, List<String> results, String explanation,
            ZoneDns zone) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Arguments> cases() throws IOException {
        Path file = suite();
        List<Arguments> cases = new ArrayList<>();
        try (InputStream in = Files.newInputStream(file)) {
            for (Object document : new Yaml(new LoaderOptions()).loadAll(in)) {
                Map<?, ?> scenario = (Map<?, ?>) document;
                ZoneDns zone = zone((Map<?, ?>) scenario.get("zonedata"));
                for (Map.Entry<?, ?> test : ((Map<?, ?>) scenario.get("tests")).entrySet()) {
                    Map<?, ?> t = (Map<?, ?>) test.getValue();
                    Object result = t.get("result");
                    List<String> results = result instanceof List<?> list ? list.stream().map(String::valueOf).toList()
                            : List.of(String.valueOf(result));
                    Object explanation = t.get("explanation");
                    cases.add(Arguments.of(scenario.get("description") + ": " + test.getKey(), new Case(
                            String.valueOf(test.getKey()), String.valueOf(t.get("helo")), String.valueOf(t.get("host")),
                            String.valueOf(t.get("mailfrom")), results, explanation == null ? null : String.valueOf(explanation),
                            zone)));
                }
            }
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void rfc7208Suite_case_givesTheExpectedResult(String title, Case c) throws Exception {
        SpfChecker checker = new SpfChecker(c.zone(), "receiver.example.net", NOW);
        SpfVerdict verdict = checker.check(InetAddress.getByName(c.host()), c.helo(), c.mailFrom()).get(10, TimeUnit.SECONDS);
        assertTrue(c.results().contains(verdict.result().keyword()),
                c.name() + ": expected " + c.results() + ", got " + verdict);
        if (c.explanation() != null && verdict.result() == SpfResult.FAIL) {
            // DEFAULT: the domain gave no usable explanation, so the checker's own is used (RFC 7208 6.2).
            if (c.explanation().equals("DEFAULT")) {
                assertTrue(verdict.explanation().contains(" does not designate "), c.name() + ": " + verdict.explanation());
            } else {
                assertEquals(c.explanation(), verdict.explanation(), c.name() + ": the explanation");
            }
        }
    }

    /** The zone of one scenario: each name maps to a list of {TYPE: value} entries or the word TIMEOUT. */
    private static ZoneDns zone(Map<?, ?> data) {
        ZoneDns zone = new ZoneDns();
        if (data == null) {
            return zone;
        }
        for (Map.Entry<?, ?> entry : data.entrySet()) {
            String name = String.valueOf(entry.getKey());
            List<?> records = (List<?>) entry.getValue();
            zone.exists(name);
            boolean hasTxt = records.stream().anyMatch(r -> r instanceof Map<?, ?> m && m.containsKey("TXT"));
            for (Object record : records) {
                if (record.equals("TIMEOUT")) {
                    zone.timeout(name);
                    continue;
                }
                Map.Entry<?, ?> typed = ((Map<?, ?>) record).entrySet().iterator().next();
                String type = String.valueOf(typed.getKey());
                Object value = typed.getValue();
                switch (type) {
                    case "SPF" -> {
                        if (!hasTxt) {
                            zone.add(name, "TXT", text(value));
                        }
                    }
                    case "TXT" -> {
                        // "TXT: NONE" says the name has no TXT records (so its SPF entries are not served either).
                        if (!"NONE".equals(value)) {
                            zone.add(name, "TXT", text(value));
                        }
                    }
                    case "MX" -> zone.add(name, "MX", String.valueOf(((List<?>) value).get(1)));
                    case "A", "AAAA", "PTR", "CNAME" -> zone.add(name, type, String.valueOf(value));
                    default -> throw new IllegalArgumentException("record type " + type + " at " + name);
                }
            }
        }
        return zone;
    }

    /** RFC 7208 3.3: the strings of one TXT record are joined with nothing between them. */
    private static String text(Object value) {
        return value instanceof List<?> strings ? String.join("", strings.stream().map(String::valueOf).toList())
                : String.valueOf(value);
    }

    private static Path suite() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve("shared/vectors/spf/rfc7208-tests.yml");
            if (Files.isRegularFile(candidate)) {
                return candidate;
            }
        }
        throw new IllegalStateException("the RFC 7208 suite was not found: expected shared/vectors/spf/rfc7208-tests.yml"
                + " beside the project root");
    }
}
