package org.sealpost.transport.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.sealpost.keyexchange.policy.TlsLevel;
import org.sealpost.transport.smtp.client.Route;
import org.sealpost.transport.smtp.server.ListenerRole;

class ConfigTest {

    private static final Path FILE = Path.of("/etc/sealpost/sealpost.conf");

    private static Config parse(String... lines) throws ConfigException {
        return Config.parse(FILE, List.of(lines));
    }

    private static String errorOf(String... lines) {
        return assertThrows(ConfigException.class, () -> parse(lines)).getMessage();
    }

    @Test
    void minimalFile_getsDocumentedDefaults() throws Exception {
        Config config = parse("listeners = submission",
                "listener.submission.role = submission",
                "listener.submission.address = 127.0.0.1:10025");
        assertEquals(Path.of("/var/spool/sealpost"), config.queueDirectory());
        assertEquals(52_428_800L, config.limits().messageSizeLimit());
        assertEquals(1000, config.limits().textLineLimit());
        assertEquals(Duration.ofSeconds(300), config.limits().idleTimeout());
        assertEquals(1000, config.limits().recipientOvershootLimit());
        assertEquals(Duration.ofDays(5), config.queue().lifetime());
        assertEquals(TlsLevel.DANE, config.tlsDefaultLevel(), "DANE by default: Sealpost validates DNSSEC itself");
        assertEquals(20, config.client().destinationConcurrency());
        assertEquals(2, config.trustedNetworks().size());
        assertFalse(config.listeners().get(0).starttls());
    }

    @Test
    void fullFile_isReadIntoTypedSettings() throws Exception {
        Config config = parse("# relay beside Postfix",
                "hostname = relay.example.test",
                "queue_directory = spool   # relative to the file",
                "tls_cert_file = cert.pem",
                "tls_key_file = key.pem",
                "local_domains = Example.test, other.test",
                "listeners = submission mx",
                "listener.submission.role = submission",
                "listener.submission.address = 127.0.0.1:10025",
                "listener.mx.role = mx",
                "listener.mx.address = [::1]:25",
                "listener.mx.starttls = no",
                "message_size_limit = 10M",
                "recipient_overshoot_limit = 50",
                "queue_min_backoff = 1s",
                "relayhost = [127.0.0.1]:2526",
                "route.example.test = [127.0.0.1]:10026",
                "tls_policy.Bank.test = encrypt",
                "dns_resolvers = 127.0.0.1:5353, 127.0.0.2");
        assertEquals("relay.example.test", config.hostname());
        assertEquals(Path.of("/etc/sealpost/spool"), config.queueDirectory());
        assertEquals(List.of("example.test", "other.test"), List.copyOf(config.localDomains()));
        assertEquals(ListenerRole.MX, config.listeners().get(1).role());
        assertTrue(config.listeners().get(0).starttls());
        assertFalse(config.listeners().get(1).starttls());
        assertEquals(10L * 1024 * 1024, config.limits().messageSizeLimit());
        assertEquals(50, config.limits().recipientOvershootLimit());
        assertEquals(Duration.ofSeconds(1), config.queue().minBackoff());
        assertEquals(new Route("127.0.0.1", 2526, false), config.client().routes().get("*"));
        assertEquals(new Route("127.0.0.1", 10026, false), config.client().routes().get("example.test"));
        assertEquals(TlsLevel.ENCRYPT, config.tlsPolicies().get("bank.test"));
        assertEquals(53, config.dnsResolvers().get(1).getPort());
    }

    @Test
    void badDuration_namesFileLineKeyAndExpectedForm() {
        String message = errorOf("listeners = s", "listener.s.role = submission",
                "listener.s.address = 127.0.0.1:1", "queue_lifetime = forever");
        assertEquals("/etc/sealpost/sealpost.conf:4: queue_lifetime: expected a duration such as 30s, 5m, 1h or 5d, "
                + "got 'forever'", message);
    }

    @Test
    void pinModes_globalAndPerDomain_andABadMode_namesTheForms() throws Exception {
        Config config = parse("listeners = s", "listener.s.role = submission", "listener.s.address = 127.0.0.1:1",
                "xkeys_pins = testing", "xkeys_pins.Example.org = enforce", "xkeys_pins..lists.example.net = off");
        assertEquals(org.sealpost.keyexchange.pins.PinMode.TESTING, config.pins().modes().of("other.test"));
        assertEquals(org.sealpost.keyexchange.pins.PinMode.ENFORCE, config.pins().modes().of("example.org"));
        assertEquals(org.sealpost.keyexchange.pins.PinMode.OFF, config.pins().modes().of("a.lists.example.net"));
        assertEquals(org.sealpost.keyexchange.pins.PinMode.ENFORCE,
                parse("listeners = s", "listener.s.role = submission", "listener.s.address = 127.0.0.1:1")
                        .pins().modes().of("example.org"), "enforce by default");
        String message = errorOf("listeners = s", "listener.s.role = submission", "listener.s.address = 127.0.0.1:1",
                "xkeys_pins.example.org = sometimes");
        assertEquals("/etc/sealpost/sealpost.conf:4: xkeys_pins.example.org: unknown pin mode 'sometimes', "
                + "expected enforce, testing or off", message);
    }

    @Test
    void unknownKey_isRefusedWithItsLine() {
        String message = errorOf("listeners = s", "listener.s.role = submission",
                "listener.s.address = 127.0.0.1:1", "mesage_size_limit = 10M");
        assertEquals("/etc/sealpost/sealpost.conf:4: mesage_size_limit: unknown key; did you mean message_size_limit?", message);
    }

    @Test
    void keyGivenTwice_isRefused() {
        String message = errorOf("hostname = a", "hostname = b");
        assertTrue(message.contains(":2: key 'hostname' is already set on line 1"), message);
    }

    @Test
    void lineWithoutEquals_isRefused() {
        assertTrue(errorOf("hostname relay").contains(":1: expected 'key = value'"));
    }

    @Test
    void listenerWithoutAddress_isRefused() {
        String message = errorOf("listeners = mx", "listener.mx.role = mx");
        assertTrue(message.contains("listener 'mx' needs listener.mx.address (host:port)"), message);
    }

    @Test
    void unknownRole_isRefusedWithAcceptedForms() {
        String message = errorOf("listeners = mx", "listener.mx.role = inbound", "listener.mx.address = 127.0.0.1:25");
        assertEquals("/etc/sealpost/sealpost.conf:2: listener.mx.role: unknown role 'inbound', expected submission or mx",
                message);
    }

    @Test
    void starttlsWithoutCertificate_isRefused() {
        String message = errorOf("listeners = mx", "listener.mx.role = mx", "listener.mx.address = 127.0.0.1:25",
                "listener.mx.starttls = yes");
        assertTrue(message.contains("STARTTLS needs tls_cert_file and tls_key_file"), message);
    }

    @Test
    void certificateWithoutKey_isRefused() {
        assertTrue(errorOf("tls_cert_file = a.pem").contains("set both tls_cert_file and tls_key_file"));
    }

    @Test
    void badNetwork_isRefused() {
        String message = errorOf("listeners = s", "listener.s.role = submission", "listener.s.address = 127.0.0.1:1",
                "trusted_networks = 10.0.0.0/33");
        assertTrue(message.contains("trusted_networks: expected a list of addresses or CIDR ranges"), message);
    }

    @Test
    void badTlsLevel_isRefusedWithTheLevels() {
        String message = errorOf("listeners = s", "listener.s.role = submission", "listener.s.address = 127.0.0.1:1",
                "tls_policy.example.test = strict");
        assertTrue(message.endsWith("tls_policy.example.test: unknown TLS level 'strict', expected none, may, encrypt, dane, "
                + "dane-only, verify or secure"), message);
    }

    @Test
    void listenerKeyForUnlistedListener_isReported() {
        String message = errorOf("listeners = s", "listener.s.role = submission", "listener.s.address = 127.0.0.1:1",
                "listener.mx.role = mx");
        assertTrue(message.contains("listener.mx.role: unknown key; is the listener named in 'listeners'"), message);
    }

    @Test
    void roleTypo_namesFileLineKeyAndTheRoles_notTheEnum() {
        String message = errorOf("listeners = x", "listener.x.role = SUBMIT", "listener.x.address = 127.0.0.1:25");
        assertEquals("/etc/sealpost/sealpost.conf:2: listener.x.role: unknown role 'SUBMIT', expected submission or mx",
                message);
    }

    /**
     * Each bad value of a typed key: the error names the file, the line, the key and the expected form,
     * and nothing of the Java that parsed it (no enum constants, exception names or overflow).
     */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "listener.s.role = mx-in | unknown role 'mx-in', expected submission or mx",
        "listener.s.role = | listener 's' needs listener.s.role (submission or mx)",
        "dnssec = strict | unknown dnssec mode 'strict', expected validate, ad-bit or off",
        "tls_default_level = high | unknown TLS level 'high', expected none, may, encrypt, dane, dane-only, verify or secure",
        "xkeys_pins = strict | unknown pin mode 'strict', expected enforce, testing or off",
        "xkeys_pins.example.test = on | unknown pin mode 'on', expected enforce, testing or off",
        "queue_lifetime = 99999999999999999d | expected a duration such as 30s, 5m, 1h or 5d, got '99999999999999999d'",
        "queue_lifetime = 5w | expected a duration such as 30s, 5m, 1h or 5d, got '5w'",
        "queue_lifetime = -5d | expected a duration such as 30s, 5m, 1h or 5d, got '-5d'",
        "message_size_limit = 99999999999G | expected a size in bytes such as 52428800, 512k, 50M or 1G, got '99999999999G'",
        "message_size_limit = k | expected a size in bytes such as 52428800, 512k, 50M or 1G, got 'k'",
        "recipient_limit = 99999999999 | expected a whole number from 100 to 100000, got '99999999999'",
        "recipient_limit = 1e3 | expected a whole number from 100 to 100000, got '1e3'",
        "dkim_verify = maybe | expected yes or no, got 'maybe'",
        "listener.s.address = 127.0.0.1:99999 | expected host:port such as 127.0.0.1:10025 or [::1]:25, got '127.0.0.1:99999'",
        "listener.s.address = 127.0.0.1:smtp | expected host:port such as 127.0.0.1:10025 or [::1]:25, got '127.0.0.1:smtp'",
    })
    void badTypedValue_isAConfigErrorWithFileLineKeyAndForm(String line, String expected) {
        String key = line.substring(0, line.indexOf('=')).strip();
        List<String> lines = new java.util.ArrayList<>(List.of("listeners = s", "listener.s.role = submission",
                "listener.s.address = 127.0.0.1:1"));
        lines.removeIf(existing -> existing.startsWith(key + " "));
        lines.add(line);
        String message = errorOf(lines.toArray(String[]::new));
        int number = lines.indexOf(line) + 1;
        String where = key.equals("listener.s.role") && expected.startsWith("listener 's'")
                ? "/etc/sealpost/sealpost.conf:1: listeners: " : "/etc/sealpost/sealpost.conf:" + number + ": " + key + ": ";
        assertEquals(where + expected, message);
    }

    @Test
    void authservId_defaultsToTheHostname_andDmarcPolicyToEnforce() throws ConfigException {
        Config config = parse("hostname = mx.example.net", "listeners = mx", "listener.mx.role = mx",
                "listener.mx.address = 0.0.0.0:25");
        assertEquals("mx.example.net", config.authservId());
        assertEquals(org.sealpost.transport.inbound.DmarcMode.ENFORCE, config.listeners().get(0).dmarcPolicy());
        Config report = parse("hostname = mx.example.net", "authserv_id = auth.example.net", "listeners = mx",
                "listener.mx.role = mx", "listener.mx.address = 0.0.0.0:25", "listener.mx.dmarc_policy = report");
        assertEquals("auth.example.net", report.authservId());
        assertEquals(org.sealpost.transport.inbound.DmarcMode.REPORT, report.listeners().get(0).dmarcPolicy());
    }

    @Test
    void arcTrustedSealers_areAListOfDomains_emptyByDefault() throws ConfigException {
        String[] mx = {"listeners = mx", "listener.mx.role = mx", "listener.mx.address = 0.0.0.0:25"};
        assertEquals(List.of(), parse(mx).arcTrustedSealers());
        assertEquals(List.of("lists.example.org", "fwd.example"),
                parse(mx[0], mx[1], mx[2], "arc_trusted_sealers = Lists.Example.org, fwd.example").arcTrustedSealers());
        String bad = errorOf(mx[0], mx[1], mx[2], "arc_trusted_sealers = lists.example.org, localhost");
        org.junit.jupiter.api.Assertions.assertTrue(bad.contains("arc_trusted_sealers") && bad.contains("'localhost'"),
                bad);
    }

    @Test
    void dkim2Duplicates_isOnByDefault_andNoTurnsItOff() throws ConfigException {
        String[] mx = {"listeners = mx", "listener.mx.role = mx", "listener.mx.address = 0.0.0.0:25"};
        assertTrue(parse(mx).dkim().dkim2Duplicates());
        assertFalse(parse(mx[0], mx[1], mx[2], "dkim2_duplicates = no").dkim().dkim2Duplicates());
        String bad = errorOf(mx[0], mx[1], mx[2], "dkim2_duplicates = sometimes");
        assertTrue(bad.contains("dkim2_duplicates") && bad.contains("expected yes or no"), bad);
    }

    @Test
    void dmarcPolicy_onASubmissionListener_orUnknown_isAnError() {
        String submission = errorOf("listeners = submission", "listener.submission.role = submission",
                "listener.submission.address = 127.0.0.1:10025", "listener.submission.dmarc_policy = report");
        org.junit.jupiter.api.Assertions.assertTrue(submission.contains("only an mx listener checks DMARC"), submission);
        String unknown = errorOf("listeners = mx", "listener.mx.role = mx", "listener.mx.address = 0.0.0.0:25",
                "listener.mx.dmarc_policy = strict");
        org.junit.jupiter.api.Assertions.assertTrue(unknown.contains("listener.mx.dmarc_policy"), unknown);
    }

    @Test
    void arcSeal_isOffByDefault_andOnNeedsItsDomainAndKey() throws ConfigException {
        String[] sub = {"listeners = s", "listener.s.role = submission", "listener.s.address = 127.0.0.1:10025"};
        assertTrue(parse(sub).arcSeal().isEmpty());
        assertTrue(parse(sub[0], sub[1], sub[2], "arc_seal = no", "arc_seal_domain = fwd.example",
                "arc_seal_key = arc:/etc/sealpost/arc.pem").arcSeal().isEmpty());
        Config.ArcSeal seal = parse(sub[0], sub[1], sub[2], "arc_seal = yes", "arc_seal_domain = Fwd.Example",
                "arc_seal_key = arc2026:keys/arc.pem").arcSeal().orElseThrow();
        assertEquals("fwd.example", seal.domain());
        assertEquals(new Config.DkimKey("arc2026", Path.of("/etc/sealpost/keys/arc.pem")), seal.key());
        assertEquals("/etc/sealpost/sealpost.conf:4: arc_seal: sealing needs arc_seal_domain = DOMAIN (the d= of our seals)"
                + " and arc_seal_key = SELECTOR:KEYFILE (a key made by sealpost dkim keygen, its record published at"
                + " SELECTOR._domainkey.DOMAIN); arc_seal_key is not set",
                errorOf(sub[0], sub[1], sub[2], "arc_seal = yes", "arc_seal_domain = fwd.example"));
        assertTrue(errorOf(sub[0], sub[1], sub[2], "arc_seal = yes", "arc_seal_key = arc:/k.pem")
                .endsWith("; arc_seal_domain is not set"));
        assertEquals("/etc/sealpost/sealpost.conf:6: arc_seal_key: expected SELECTOR:KEYFILE, e.g."
                + " arc2026:/etc/sealpost/arc.pem, got '/etc/sealpost/arc.pem'", errorOf(sub[0], sub[1], sub[2],
                "arc_seal = yes", "arc_seal_domain = fwd.example", "arc_seal_key = /etc/sealpost/arc.pem"));
        assertTrue(errorOf(sub[0], sub[1], sub[2], "arc_seal = yes", "arc_seal_domain = localhost",
                "arc_seal_key = arc:/k.pem").contains("arc_seal_domain: expected a domain such as example.org"));
    }

    @Test
    void dkim2MlDsaKey_isReadForADomainThatSignsDkim2_besideItsDkimKey() throws ConfigException {
        String[] sub = {"listeners = s", "listener.s.role = submission", "listener.s.address = 127.0.0.1:10025",
            "dkim_key.example.org = s1:/etc/sealpost/dkim/example.org.pem"};
        assertEquals(java.util.Map.of(), parse(sub).dkim().dkim2MlDsaKeys());
        Config.Dkim dkim = parse(sub[0], sub[1], sub[2], sub[3], "dkim2_sign = yes",
                "dkim2_mldsa_key.Example.org = pq2026:dkim/example.org.mldsa44.pem").dkim();
        assertEquals(java.util.Map.of("example.org", new Config.DkimKey("pq2026",
                Path.of("/etc/sealpost/dkim/example.org.mldsa44.pem"))), dkim.dkim2MlDsaKeys());
        assertEquals(java.util.Set.of("example.org"), dkim.dkim2Domains());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "dkim2_sign = no | dkim2_mldsa_key.example.org = pq:/pq.pem | /etc/sealpost/sealpost.conf:6: "
            + "dkim2_mldsa_key.example.org: 'example.org' is not in dkim2_sign, so nothing signs DKIM2 for it; add it to "
            + "dkim2_sign (or set dkim2_sign = yes), or remove this key",
        "dkim2_sign = yes | dkim2_mldsa_key.example.net = pq:/pq.pem | /etc/sealpost/sealpost.conf:6: "
            + "dkim2_mldsa_key.example.net: 'example.net' has no dkim_key.example.net; an ML-DSA-44 sig-set is never the "
            + "only one (verifiers that do not know it would see no signature), so add an RSA or Ed25519 "
            + "dkim_key.example.net and name example.net in dkim2_sign",
        "dkim2_sign = yes | dkim2_mldsa_key.example.org = /pq.pem | /etc/sealpost/sealpost.conf:6: "
            + "dkim2_mldsa_key.example.org: expected SELECTOR:KEYFILE, e.g. "
            + "pq2026:/etc/sealpost/dkim/example.org.mldsa44.pem, got '/pq.pem'",
        "dkim2_sign = yes | dkim2_mldsa_key.example.org = pq:/a.pem, pq2:/b.pem | /etc/sealpost/sealpost.conf:6: "
            + "dkim2_mldsa_key.example.org: name one ML-DSA-44 key as SELECTOR:KEYFILE, e.g. "
            + "pq2026:/etc/sealpost/dkim/example.org.mldsa44.pem (made by sealpost dkim keygen --algorithm mldsa44)"})
    void dkim2MlDsaKey_outsideDkim2Sign_withoutADkimKey_orMalformed_isAnError(String sign, String mlDsa, String error) {
        assertEquals(error, errorOf("listeners = s", "listener.s.role = submission", "listener.s.address = 127.0.0.1:10025",
                "dkim_key.example.org = s1:/etc/sealpost/dkim/example.org.pem", sign, mlDsa));
    }

    @Test
    void tlsrpt_isOnWithFromAndOrganization_andNeedsTheFromDomainsKey() throws Exception {
        String[] base = {"listeners = submission", "listener.submission.role = submission",
                "listener.submission.address = 127.0.0.1:10025"};
        assertTrue(parse(base).tlsrpt().isEmpty());
        Config config = parse(base[0], base[1], base[2], "dkim_key.example.org = s1:/k.pem",
                "tlsrpt_from = tlsrpt@example.org", "tlsrpt_organization = Example Org", "tlsrpt_contact = ops@example.org");
        assertEquals(new Config.TlsRpt("tlsrpt@example.org", "Example Org", "ops@example.org"), config.tlsrpt().orElseThrow());
        assertEquals("example.org", config.tlsrpt().orElseThrow().domain());
        assertTrue(errorOf(base[0], base[1], base[2], "dkim_key.example.org = s1:/k.pem", "tlsrpt_from = tlsrpt@example.org")
                .endsWith("tlsrpt_from: TLS reporting needs both tlsrpt_from = ADDRESS (the reports' From) and "
                        + "tlsrpt_organization = NAME (organization-name in the reports); tlsrpt_organization is not set"));
        assertTrue(errorOf(base[0], base[1], base[2], "tlsrpt_from = tlsrpt@example.org", "tlsrpt_organization = Example")
                .contains("tlsrpt_from: the reports are DKIM-signed by the From domain (RFC 8460 5.3), but there is no "
                        + "dkim_key.example.org"));
        assertTrue(errorOf(base[0], base[1], base[2], "tlsrpt_from = tlsrpt", "tlsrpt_organization = Example")
                .contains("tlsrpt_from: expected a mail address such as tlsrpt@example.org, got 'tlsrpt'"));
    }

    /** The rows of docs/configuration.md's tables: key and default cell, as written there. */
    private static java.util.Map<String, String> documentedKeys() throws java.io.IOException {
        java.util.Map<String, String> keys = new java.util.TreeMap<>();
        java.util.regex.Pattern row = java.util.regex.Pattern.compile("^\\| `([^`]+)` \\| ([^|]*) \\|");
        for (String line : java.nio.file.Files.readAllLines(Path.of("..", "docs", "configuration.md"))) {
            java.util.regex.Matcher m = row.matcher(line);
            if (m.find()) {
                keys.put(m.group(1), m.group(2).strip());
            }
        }
        return keys;
    }

    @Test
    void docs_tableOfKeys_andTheReader_nameTheSameKeys() throws Exception {
        java.util.Map<String, String> documented = documentedKeys();
        java.util.Map<String, String> defaults = Config.defaults();
        java.util.Set<String> fixed = new java.util.TreeSet<>();
        java.util.List<String> perName = new java.util.ArrayList<>();
        documented.keySet().forEach(key -> (key.matches(".*\\b(NAME|DOMAIN|ADDRESS)\\b.*") ? perName : fixed).add(key));
        java.util.Set<String> undocumented = new java.util.TreeSet<>(defaults.keySet());
        undocumented.removeAll(fixed);
        java.util.Set<String> unread = new java.util.TreeSet<>(fixed);
        unread.removeAll(defaults.keySet());
        assertEquals("", (undocumented.isEmpty() ? "" : "read but not in docs/configuration.md: " + undocumented)
                + (unread.isEmpty() ? "" : " in docs/configuration.md but never read: " + unread));
        // Keys with a per-name part: each documented form is one the reader knows (no "unknown key").
        java.util.List<String> lines = new java.util.ArrayList<>(List.of("listeners = mx"));
        for (String key : perName) {
            lines.add(key.replace("NAME", "mx").replace("DOMAIN", "example.net").replace("ADDRESS", "user@example.net") + " =");
        }
        java.util.List<String> errors = assertThrows(ConfigException.class, () -> Config.parse(FILE, lines)).problems();
        assertTrue(errors.stream().noneMatch(error -> error.contains("unknown key")), errors.toString());
    }

    @Test
    void docs_defaults_areTheReadersDefaults() throws Exception {
        java.util.Map<String, String> defaults = Config.defaults();
        java.util.List<String> differ = new java.util.ArrayList<>();
        documentedKeys().forEach((key, cell) -> {
            String actual = defaults.get(key);
            if (actual == null) {
                return; // a per-name key; the test above compares the names
            }
            java.util.regex.Matcher literal = java.util.regex.Pattern.compile("`([^`]*)`").matcher(cell);
            if (cell.matches("\\(?none\\)?|required")) {
                if (!actual.isEmpty()) {
                    differ.add(key + ": docs say " + cell + ", the reader " + actual);
                }
            } else if (literal.matches() && !defaults.containsKey(literal.group(1))) { // `hostname` names another key
                String doc = literal.group(1);
                boolean same = doc.equalsIgnoreCase(actual) || doc.matches("\\d+[smhd]?") && actual.matches("\\d+[smhd]?")
                        && ConfigReader.parseDuration(doc).equals(ConfigReader.parseDuration(actual));
                if (!same) {
                    differ.add(key + ": docs say " + doc + ", the reader " + actual);
                }
            }
        });
        assertEquals(List.of(), differ);
    }

    @Test
    void severalErrors_areAllReported_inTheOrderOfTheLines() {
        ConfigException e = assertThrows(ConfigException.class, () -> parse("queue_lifetime = forever", "listeners = s",
                "listener.s.role = relay", "listener.s.address = 127.0.0.1:1", "hostname relay", "queue_lifetme = 1d"));
        assertEquals(List.of(
                FILE + ":1: queue_lifetime: expected a duration such as 30s, 5m, 1h or 5d, got 'forever'",
                FILE + ":3: listener.s.role: unknown role 'relay', expected submission or mx",
                FILE + ":5: expected 'key = value', got 'hostname relay'",
                FILE + ":6: queue_lifetme: unknown key; did you mean queue_lifetime?"), e.problems());
        assertEquals(String.join("\n", e.problems()), e.getMessage());
    }

    @Test
    void reading_withErrors_stillBuildsTheSettings_withDefaultsInPlaceOfTheValuesInError() throws Exception {
        Config.Reading reading = Config.read(writeTemp("queue_lifetime = forever", "listeners = s",
                "listener.s.role = submission", "listener.s.address = 127.0.0.1:1", "route.example.net = [x",
                "local_domains = example.net"));
        assertEquals(2, reading.errors().size(), reading.errors().toString());
        assertEquals(Duration.ofDays(5), reading.config().queue().lifetime());
        assertEquals(List.of("s"), reading.config().listeners().stream().map(Config.Listener::name).toList());
        assertFalse(reading.config().client().routes().containsKey("example.net"));
    }

    private static Path writeTemp(String... lines) throws java.io.IOException {
        Path file = java.nio.file.Files.createTempFile("sealpost", ".conf");
        file.toFile().deleteOnExit();
        java.nio.file.Files.write(file, List.of(lines));
        return file;
    }

    @Test
    void metricsAddress_isOffByDefault_loopbackWhenSet_andAnotherAddressIsRefusedWithWhy() throws ConfigException {
        String[] listener = {"listeners = submission", "listener.submission.role = submission",
            "listener.submission.address = 127.0.0.1:10025"};
        assertTrue(parse(listener).metricsAddress().isEmpty());
        String[] set = java.util.Arrays.copyOf(listener, 4);
        set[3] = "metrics_address = 127.0.0.1:9025";
        assertEquals(9025, parse(set).metricsAddress().get().getPort());
        set[3] = "metrics_address = [::1]:9025";
        assertTrue(parse(set).metricsAddress().get().getAddress().isLoopbackAddress());
        set[3] = "metrics_address = 0.0.0.0:9025";
        assertEquals("/etc/sealpost/sealpost.conf:4: metrics_address: expected a loopback address such as 127.0.0.1:9025 "
                + "or [::1]:9025, got 0.0.0.0:9025; the endpoint has no authentication: to scrape from another host, put a "
                + "proxy with TLS and authentication in front of it (docs/operations.md)", errorOf(set));
    }

    @Test
    void listenerBindFailure_exitsByDefault_retriesWhenAsked_andABadValueNamesTheForms() throws ConfigException {
        String[] lines = {"listeners = submission", "listener.submission.role = submission",
            "listener.submission.address = 127.0.0.1:10025", "listener_bind_failure = retry"};
        assertEquals(Config.BindFailure.EXIT, parse(java.util.Arrays.copyOf(lines, 3)).listenerBindFailure());
        assertEquals(Config.BindFailure.RETRY, parse(lines).listenerBindFailure());
        lines[3] = "listener_bind_failure = wait";
        String error = errorOf(lines);
        assertTrue(error.startsWith("/etc/sealpost/sealpost.conf:4: listener_bind_failure: ") && error.contains("exit")
                && error.contains("retry"), error);
    }

    @Test
    void cryptoProvider_isAutoByDefault_andABadValueNamesTheForms() throws ConfigException {
        String[] lines = {"listeners = submission", "listener.submission.role = submission",
            "listener.submission.address = 127.0.0.1:10025", "crypto_provider = jdk"};
        assertEquals(org.sealpost.signing.crypto.ProviderChoice.AUTO, parse(java.util.Arrays.copyOf(lines, 3)).cryptoProvider());
        assertEquals(org.sealpost.signing.crypto.ProviderChoice.JDK, parse(lines).cryptoProvider());
        lines[3] = "crypto_provider = boringssl";
        assertEquals("/etc/sealpost/sealpost.conf:4: crypto_provider: unknown crypto_provider 'boringssl', expected auto, "
                + "accp or jdk", errorOf(lines));
    }

    @Test
    void tlsEngine_isAutoByDefault_andABadValueNamesTheForms() throws ConfigException {
        String[] lines = {"listeners = submission", "listener.submission.role = submission",
            "listener.submission.address = 127.0.0.1:10025", "tls_engine = jdk"};
        assertEquals(org.sealpost.transport.tls.TlsEngineChoice.AUTO, parse(java.util.Arrays.copyOf(lines, 3)).tlsEngine());
        assertEquals(org.sealpost.transport.tls.TlsEngineChoice.JDK, parse(lines).tlsEngine());
        lines[3] = "tls_engine = openssl";
        assertEquals(org.sealpost.transport.tls.TlsEngineChoice.OPENSSL, parse(lines).tlsEngine());
        lines[3] = "tls_engine = boringssl";
        assertEquals("/etc/sealpost/sealpost.conf:4: tls_engine: unknown tls_engine 'boringssl', expected auto, "
                + "openssl or jdk", errorOf(lines));
    }
}
