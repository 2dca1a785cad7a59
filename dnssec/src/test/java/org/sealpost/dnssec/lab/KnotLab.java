package org.sealpost.dnssec.lab;

import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * A DNSSEC lab made per run: keys generated and zones signed with ldns, served by knotd on
 * 127.0.0.1, stopped by PID. Zones: good.test (signed, with a signed CNAME, a CNAME into an unsigned
 * zone, the unsigned delegation insecure.good.test, pkix.good.test with only an unusable TLSA
 * record, notlsa.good.test with none), bogus.test (an MX and a TLSA record changed after signing),
 * expired.test (signatures that ran out in 2020), plain.test (never signed), servfail.test (a zone
 * whose file is missing, so the server fails), and their parent test (signed, delegating to each of
 * them, with the DS records of the signed ones), so that a name above the lab's zones, such as
 * _dmarc.test, gets a proven NXDOMAIN as under a real top-level domain. The DS records of the
 * signed zones, test's among them, are the anchors.
 */
public final class KnotLab implements AutoCloseable {

    /** The association data of every lab zone's TLSA record for _25._tcp.mx. */
    public static final String TLSA_DATA = "5652ad2b7e1a3c9b9f2d7d3f0c4e6a8b1d2c3e4f5a6b7c8d9e0f1a2b3c4d5e6f";

    private final Path dir;
    private final Process knotd;
    private final List<String> prefix;
    private Process unbound;
    public final InetSocketAddress address;
    public final Path trustAnchors;

    private KnotLab(Path dir, Process knotd, InetSocketAddress address, Path trustAnchors, List<String> prefix) {
        this.dir = dir;
        this.knotd = knotd;
        this.prefix = prefix;
        this.address = address;
        this.trustAnchors = trustAnchors;
    }

    public static KnotLab start(Path dir) throws Exception {
        return start(dir, "");
    }

    /** The lab with extra records (zone-file lines relative to good.test) signed into good.test. */
    public static KnotLab start(Path dir, String goodTestExtras) throws Exception {
        return start(dir, goodTestExtras, List.of());
    }

    /**
     * The lab with its daemons started through {@code prefix}, e.g. {@code ip netns exec NAME} to
     * run them in a network namespace; readiness is then read from their logs.
     */
    public static KnotLab start(Path dir, String goodTestExtras, List<String> prefix) throws Exception {
        for (String[] tool : new String[][] {{"knot", "/usr/sbin/knotd"}, {"ldnsutils", "/usr/bin/ldns-signzone"}}) {
            if (!Files.isExecutable(Path.of(tool[1]))) {
                String message = tool[1] + " is missing: install the Debian package " + tool[0];
                if ("1".equals(System.getenv("SEALPOST_REQUIRE_PEERS"))) {
                    Assertions.fail(message);
                }
                Assumptions.abort(message);
            }
        }
        Files.createDirectories(dir.resolve("knot-run"));
        StringBuilder anchors = new StringBuilder();
        for (String zone : List.of("good.test", "bogus.test", "expired.test")) {
            String extra = !zone.equals("good.test") ? "" : "toplain IN CNAME mx.plain.test.\n"
                    + "insecure IN NS ns1.insecure\nns1.insecure IN A 127.0.0.1\n"
                    + "pkix IN A 127.0.0.4\n_25._tcp.pkix IN TLSA 1 1 1 " + TLSA_DATA + "\n"
                    + "notlsa IN A 127.0.0.5\n" + goodTestExtras;
            Files.writeString(dir.resolve(zone + ".zone"), zoneText(zone) + extra);
            boolean expired = zone.equals("expired.test");
            anchors.append(sign(dir, zone, expired ? "20200101000000" : "20260101000000",
                    expired ? "20200201000000" : "20361231000000"));
        }
        // The parent: an apex, then a delegation to each lab zone (RFC 4035 2.4: a DS for the signed ones,
        // none for the unsigned, which makes them provably insecure), signed last with the DS at hand.
        StringBuilder parent = new StringBuilder("$ORIGIN test.\n$TTL 3600\n")
                .append("@ IN SOA ns1 hostmaster 2026112201 3600 900 1209600 300\n@ IN NS ns1\nns1 IN A 127.0.0.1\n");
        for (String child : List.of("good", "bogus", "expired", "plain", "servfail")) {
            parent.append(child).append(" IN NS ns1.").append(child).append("\nns1.").append(child).append(" IN A 127.0.0.1\n");
        }
        Files.writeString(dir.resolve("test.zone"), parent + anchors.toString());
        anchors.append(sign(dir, "test", "20260101000000", "20361231000000"));
        Files.writeString(dir.resolve("plain.test.zone.signed"), zoneText("plain.test"));
        Files.writeString(dir.resolve("insecure.good.test.zone.signed"), zoneText("insecure.good.test"));
        // Tampering after signing: the MX no longer matches its RRSIG.
        Path bogus = dir.resolve("bogus.test.zone.signed");
        Files.writeString(bogus, Files.readString(bogus).replaceFirst("(MX\\s+10\\s+)mx\\.bogus\\.test\\.", "$1evil.bogus.test.")
                .replaceFirst("(TLSA\\s+3 1 1 )....", "$1aaaa"));
        Path trustAnchors = dir.resolve("trust-anchors.ds");
        Files.writeString(trustAnchors, anchors.toString());

        int port;
        try (DatagramSocket probe = new DatagramSocket(0, InetAddress.getByName("127.0.0.1"))) {
            port = probe.getLocalPort();
        }
        StringBuilder config = new StringBuilder()
                .append("server:\n    rundir: \"").append(dir.resolve("knot-run")).append("\"\n")
                .append("    listen: 127.0.0.1@").append(port).append("\n")
                .append("log:\n  - target: stderr\n    any: info\n")
                .append("database:\n    storage: \"").append(dir.resolve("knot-run")).append("\"\n")
                .append("control:\n    listen: \"").append(dir.resolve("knot-run/knot.sock")).append("\"\n")
                .append("template:\n  - id: default\n    storage: \"").append(dir).append("\"\n")
                .append("    zonefile-sync: -1\n    zonefile-load: whole\n    journal-content: none\nzone:\n");
        for (String zone : List.of("test", "good.test", "bogus.test", "expired.test", "plain.test", "insecure.good.test",
                "servfail.test")) {
            config.append("  - domain: ").append(zone).append("\n    file: \"").append(zone).append(".zone.signed\"\n");
        }
        Files.writeString(dir.resolve("knot.conf"), config);
        Process knotd = new ProcessBuilder(prefixed(prefix, "/usr/sbin/knotd", "-c", dir.resolve("knot.conf").toString()))
                .redirectErrorStream(true).redirectOutput(dir.resolve("knotd.log").toFile()).start();
        KnotLab lab = new KnotLab(dir, knotd, new InetSocketAddress("127.0.0.1", port), trustAnchors, prefix);
        lab.awaitServing();
        return lab;
    }

    /**
     * Starts unbound on 127.0.0.1 as a validating recursive resolver over the lab (stub zones to
     * knotd, the lab's trust anchors, no root hints so nothing leaves loopback); returns its address.
     */
    public InetSocketAddress startUnbound() throws Exception {
        int port;
        try (DatagramSocket probe = new DatagramSocket(0, InetAddress.getByName("127.0.0.1"))) {
            port = probe.getLocalPort();
        }
        return startUnbound(port);
    }

    /** unbound on a given port (53, where a namespace's /etc/resolv.conf points the system resolver). */
    public InetSocketAddress startUnbound(int port) throws Exception {
        return startUnbound("127.0.0.1", port);
    }

    /**
     * unbound on a given loopback address and port: port 53 on an address of its own is where a
     * resolv.conf mounted over /etc/resolv.conf for one program can point, without a namespace.
     */
    public InetSocketAddress startUnbound(String loopback, int port) throws Exception {
        if (!Files.isExecutable(Path.of("/usr/sbin/unbound"))) {
            String message = "/usr/sbin/unbound is missing: install the Debian package unbound";
            if ("1".equals(System.getenv("SEALPOST_REQUIRE_PEERS"))) {
                Assertions.fail(message);
            }
            Assumptions.abort(message);
        }
        StringBuilder config = new StringBuilder("server:\n")
                .append("    interface: ").append(loopback).append("\n    port: ").append(port).append("\n")
                .append("    do-ip6: no\n    do-daemonize: no\n    username: \"\"\n    chroot: \"\"\n")
                .append("    directory: \"").append(dir).append("\"\n    pidfile: \"").append(dir.resolve("unbound.pid")).append("\"\n")
                .append("    use-syslog: no\n    logfile: \"\"\n    verbosity: 1\n    val-log-level: 2\n")
                .append("    access-control: 127.0.0.0/8 allow\n    do-not-query-localhost: no\n")
                .append("    module-config: \"validator iterator\"\n    local-zone: \"test.\" nodefault\n")
                .append("    trust-anchor-file: \"").append(trustAnchors).append("\"\n")
                .append("    trust-anchor-signaling: no\n    ede: yes\n    cache-max-ttl: 5\n    cache-max-negative-ttl: 5\n")
                .append("remote-control:\n    control-enable: no\n");
        // Every zone, and the root as a guard, goes to knotd: no packet leaves loopback.
        for (String zone : List.of("test", "good.test", "bogus.test", "expired.test", "plain.test", "insecure.good.test",
                "servfail.test", ".")) {
            config.append("stub-zone:\n    name: \"").append(zone).append("\"\n    stub-addr: 127.0.0.1@")
                    .append(address.getPort()).append("\n");
        }
        Files.writeString(dir.resolve("unbound.conf"), config);
        unbound = new ProcessBuilder(prefixed(prefix, "/usr/sbin/unbound", "-d", "-c", dir.resolve("unbound.conf").toString()))
                .redirectErrorStream(true).redirectOutput(dir.resolve("unbound.log").toFile()).start();
        InetSocketAddress resolver = new InetSocketAddress(loopback, port);
        for (int i = 0; i < 100 && !prefix.isEmpty(); i++) {
            if (Files.readString(dir.resolve("unbound.log")).contains("start of service")) {
                return resolver;
            }
            Thread.sleep(50);
        }
        for (int i = 0; i < 100; i++) {
            try (java.net.Socket probe = new java.net.Socket()) {
                probe.connect(resolver, 200);
                return resolver;
            } catch (java.io.IOException e) {
                if (!unbound.isAlive()) {
                    throw new AssertionError("unbound exited: " + Files.readString(dir.resolve("unbound.log")));
                }
                Thread.sleep(50);
            }
        }
        throw new AssertionError("unbound did not start: " + Files.readString(dir.resolve("unbound.log")));
    }

    private static List<String> prefixed(List<String> prefix, String... command) {
        List<String> all = new java.util.ArrayList<>(prefix);
        all.addAll(List.of(command));
        return all;
    }

    private static String zoneText(String origin) {
        return "$ORIGIN " + origin + ".\n$TTL 3600\n"
                + "@ IN SOA ns1 hostmaster 2026112201 3600 900 1209600 300\n"
                + "@ IN NS ns1\n@ IN MX 10 mx\nns1 IN A 127.0.0.1\nmx IN A 127.0.0.3\nmx IN AAAA ::1\n"
                + "alias IN CNAME mx\n@ IN TXT \"v=spf1 mx -all\"\n"
                + "_25._tcp.mx IN TLSA 3 1 1 " + TLSA_DATA + "\n"
                + "sel._domainkey IN TXT \"v=DKIM1; k=ed25519; \" \"p=11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=\"\n";
    }

    /** Signs a zone with a new KSK and ZSK (ECDSA P-256, NSEC3 without extra iterations); returns the DS. */
    private static String sign(Path dir, String zone, String inception, String expiration) throws Exception {
        String ksk = run(dir, "ldns-keygen", "-a", "ECDSAP256SHA256", "-k", zone).trim();
        String zsk = run(dir, "ldns-keygen", "-a", "ECDSAP256SHA256", zone).trim();
        run(dir, "ldns-signzone", "-n", "-t", "0", "-i", inception, "-e", expiration, zone + ".zone", zsk, ksk);
        return Files.readString(dir.resolve(ksk + ".ds"));
    }

    private static String run(Path dir, String... command) throws Exception {
        Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new AssertionError(String.join(" ", command) + " failed: " + output);
        }
        return output;
    }

    private void awaitServing() throws Exception {
        for (int i = 0; i < 100; i++) {
            String log = Files.exists(dir.resolve("knotd.log")) ? Files.readString(dir.resolve("knotd.log")) : "";
            if (count(log, "loaded, serial") >= 6 || count(log, "zone file loaded") >= 6) {
                return;
            }
            if (!knotd.isAlive()) {
                throw new AssertionError("knotd exited: " + log);
            }
            Thread.sleep(50);
        }
        throw new AssertionError("knotd did not load the zones: " + Files.readString(dir.resolve("knotd.log")));
    }

    private static int count(String text, String needle) {
        int n = 0;
        for (int i = text.indexOf(needle); i >= 0; i = text.indexOf(needle, i + 1)) {
            n++;
        }
        return n;
    }

    @Override
    public void close() throws InterruptedException {
        if (unbound != null) {
            unbound.destroy();
            if (!unbound.waitFor(10, TimeUnit.SECONDS)) {
                unbound.destroyForcibly();
            }
        }
        knotd.destroy();
        if (!knotd.waitFor(10, TimeUnit.SECONDS)) {
            knotd.destroyForcibly();
        }
    }

}
