package org.sealpost.interop.support;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.sealpost.dnssec.lab.KnotLab;

/**
 * A destination domain under good.test that publishes an MTA-STS policy, with everything real:
 * knotd serves the signed zone through unbound (MX, {@code _mta-sts} TXT, the policy host's A
 * record 127.0.0.4), WireMock serves the policy over HTTPS on 127.0.0.4, the MX is a Postfix
 * smtpd with STARTTLS on 127.0.0.3 (relaying to smtp-sink), both certificates from a test
 * authority that the relay trusts as tls_ca_file. The relay under test submits on
 * {@link #submission} and delivers to the domain by its real MX lookup.
 */
public final class MtaStsDestination implements AutoCloseable {

    public static final String PATH = "/.well-known/mta-sts.txt";

    public final String domain;
    public final int submission;
    public final int stsPort;
    public final InetAddressPort resolver;
    public final Path trustAnchors;
    public final SmtpSink sink;
    public final SealpostProcess sealpost;
    private final KnotLab lab;
    private final WireMockServer policyHost;
    private final PostfixInstance postfix;

    /** host:port of the lab's validating resolver, as `sealpost check --resolver` takes it. */
    public record InetAddressPort(String host, int port) {
        @Override
        public String toString() {
            return host + ":" + port;
        }
    }

    /**
     * @param label the domain's label under good.test ("stsok" for stsok.good.test)
     * @param mode the policy's mode: enforce or testing
     * @param mxCertificateName the DNS name the MX's certificate is issued for (the MX host is mx.LABEL.good.test)
     * @param tlsa a TLSA record's data for the MX host (DANE), or null for none
     */
    public MtaStsDestination(Path dir, String label, String mode, String mxCertificateName, String tlsa) throws Exception {
        Peers.require("swaks", "/usr/bin/swaks");
        this.domain = label + ".good.test";
        String mxHost = "mx." + domain;
        TestAuthority authority = TestAuthority.create(dir.resolve("ca"), "Sealpost Interop Test CA");
        authority.issue("policy", "mta-sts." + domain);
        Path mxChain = authority.issue("mx", mxCertificateName);
        int mxPort = Loopback.freePort("127.0.0.3");
        this.stsPort = Loopback.freePort("127.0.0.4");
        String zone = label + " IN MX 10 mx." + label + "\nmx." + label + " IN A 127.0.0.3\n"
                + "_mta-sts." + label + " IN TXT \"v=STSv1; id=20261202T0100\"\n"
                + "mta-sts." + label + " IN A 127.0.0.4\n"
                + (tlsa == null ? "" : "_" + mxPort + "._tcp.mx." + label + " IN TLSA 3 1 1 " + tlsa + "\n");
        this.submission = Loopback.freePort("127.0.0.1");
        KnotLab startedLab = null;
        WireMockServer startedHost = null;
        SmtpSink startedSink = null;
        PostfixInstance startedPostfix = null;
        try {
            startedLab = KnotLab.start(dir.resolve("lab"), zone);
            java.net.InetSocketAddress unbound = startedLab.startUnbound();
            this.resolver = new InetAddressPort("127.0.0.1", unbound.getPort());
            this.trustAnchors = startedLab.trustAnchors;
            startedHost = new WireMockServer(WireMockConfiguration.options().bindAddress("127.0.0.4").httpDisabled(true)
                    .httpsPort(stsPort).keystorePath(dir.resolve("ca/policy.p12").toString()).keystoreType("PKCS12")
                    .keystorePassword("secret").keyManagerPassword("secret"));
            startedHost.start();
            startedHost.stubFor(get(urlEqualTo(PATH)).willReturn(aResponse().withStatus(200)
                    .withHeader("Content-Type", "text/plain").withBody("version: STSv1\r\nmode: " + mode + "\r\nmx: "
                            + mxHost + "\r\nmax_age: 86400\r\n")));
            startedSink = new SmtpSink(dir, "127.0.0.1");
            Map<String, String> postfixSettings = PostfixInstance.starttlsRelay(domain, startedSink.port, mxChain,
                    dir.resolve("ca/mx.key"));
            postfixSettings.put("message_size_limit", "20971520");
            startedPostfix = new PostfixInstance(dir.resolve("postfix"), mxHost, "127.0.0.3", postfixSettings, mxPort).start();
            Map<String, String> config = SealpostProcess.submissionRelay("relay.interop.test",
                    dir.resolve("sealpost/queue"), submission);
            config.putAll(SealpostProcess.labDnssec(trustAnchors, resolver.toString()));
            // The MX lookup is real; only the port differs from 25, as the lab's smtpd is not on 25.
            config.put("route." + domain, domain + ":" + mxPort);
            // tls_default_level is the default (dane), mta_sts the default (yes).
            config.put("tls_ca_file", authority.certificate.toString());
            config.put("mta_sts_port", Integer.toString(stsPort));
            config.put("queue_min_backoff", "60s");
            this.sealpost = new SealpostProcess(dir.resolve("sealpost"), config).start();
        } catch (Exception | AssertionError e) {
            closeQuietly(startedPostfix, startedSink, startedHost, startedLab);
            throw e;
        }
        this.lab = startedLab;
        this.policyHost = startedHost;
        this.sink = startedSink;
        this.postfix = startedPostfix;
    }

    /** How many times the policy file was fetched. */
    public int policyFetches() {
        return policyHost.findAll(getRequestedFor(urlEqualTo(PATH))).size();
    }

    public PostfixInstance postfix() {
        return postfix;
    }

    /** Submits one message with swaks; {@code attachment} (or null) goes as a MIME attachment. */
    public void submit(String to, String body, Path attachment) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of("swaks", "--server", "127.0.0.1:" + submission,
                "--from", "alice@src.interop.test", "--to", to, "--body", body));
        if (attachment != null) {
            command.addAll(List.of("--attach-type", "application/octet-stream", "--attach-name", "data.bin",
                    "--attach", "@" + attachment));
        }
        Process swaks = new ProcessBuilder(command).redirectErrorStream(true).start();
        String dialog = new String(swaks.getInputStream().readAllBytes());
        if (!swaks.waitFor(60, TimeUnit.SECONDS) || swaks.exitValue() != 0) {
            throw new AssertionError("swaks failed: " + dialog);
        }
    }

    /**
     * Waits until the relay defers {@code to} with 4.7.5 and returns that log line, once no message
     * holding {@code body} has reached smtp-sink a moment later.
     */
    public String awaitDeferred(String to, String body) throws Exception {
        String deferred = sealpost.awaitLine("to=<" + to + ">.*status=deferred", java.time.Duration.ofSeconds(60));
        if (!deferred.contains("dsn=4.7.5")) {
            throw new AssertionError("deferred without 4.7.5: " + deferred);
        }
        Thread.sleep(500);
        if (sink.messages().stream().anyMatch(m -> m.contains(body))) {
            throw new AssertionError("the message went out: " + body);
        }
        return deferred;
    }

    @Override
    public void close() throws Exception {
        sealpost.close();
        closeQuietly(postfix, sink, policyHost, lab);
    }

    private static void closeQuietly(PostfixInstance postfix, SmtpSink sink, WireMockServer host, KnotLab lab) {
        try {
            if (postfix != null) {
                postfix.close();
            }
            if (sink != null) {
                sink.close();
            }
        } catch (Exception e) {
            // closing the rest regardless
        }
        if (host != null) {
            host.stop();
        }
        try {
            if (lab != null) {
                lab.close();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
