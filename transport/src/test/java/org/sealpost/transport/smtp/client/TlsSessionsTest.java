package org.sealpost.transport.smtp.client;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.ssl.util.SelfSignedCertificate;
import java.net.InetAddress;
import java.nio.file.Path;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateExpiredException;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.sealpost.dnssec.DnsResolver;
import org.sealpost.keyexchange.dane.DaneLookup;
import org.sealpost.keyexchange.dane.DanePolicy;
import org.sealpost.keyexchange.policy.Check;
import org.sealpost.keyexchange.policy.DefaultLevel;
import org.sealpost.keyexchange.policy.DeliveryPolicy;
import org.sealpost.keyexchange.policy.Failure;
import org.sealpost.keyexchange.policy.Policies;
import org.sealpost.keyexchange.policy.PublishedPolicy;
import org.sealpost.keyexchange.policy.Rfc8460ResultType;
import org.sealpost.keyexchange.policy.TestPolicy;
import org.sealpost.keyexchange.policy.TlsLevel;
import org.sealpost.transport.cli.DemoMailbox;
import org.sealpost.transport.metrics.Metrics;
import org.sealpost.transport.queue.BodyType;
import org.sealpost.transport.queue.DeliveryStatus;
import org.sealpost.transport.queue.Envelope;
import org.sealpost.transport.queue.RecipientResult;
import org.sealpost.transport.smtp.server.SmtpServer;
import org.sealpost.transport.tlsrpt.AppliedPolicy;
import org.sealpost.transport.tlsrpt.FailureDetail;
import org.sealpost.transport.tlsrpt.ResultType;
import org.sealpost.transport.tlsrpt.TlsReporting;

/** SmtpDeliverer -> peers with and without TLS, under DANE, a reporting policy and none: what TLS-RPT counts. */
class TlsSessionsTest {

    @RegisterExtension
    final TestLoop loop = new TestLoop(2);

    private final DemoMailbox mailbox = new DemoMailbox();
    private final LocalDate today = LocalDate.now(ZoneOffset.UTC);

    @TempDir
    Path dir;

    private TlsReporting reporting;

    // The mapping, each result type from its cause.

    @Test
    void publishedPolicies_mapToTheReportsPolicies_noneToTheNextHopDomain() {
        assertEquals(AppliedPolicy.dane("mx.example.net", List.of("3 1 1 ab")),
                TlsSessions.applied(PublishedPolicy.tlsa("mx.example.net", List.of("3 1 1 ab")), "example.net"));
        assertEquals(AppliedPolicy.mtaSts("example.net", List.of("version: STSv1", "mode: enforce"), List.of("*.example.net")),
                TlsSessions.applied(PublishedPolicy.sts("example.net", List.of("version: STSv1", "mode: enforce"),
                        List.of("*.example.net")), "example.net"));
        assertEquals(AppliedPolicy.none("example.net"), TlsSessions.applied(PublishedPolicy.NONE, "Example.NET"));
    }

    @Test
    void refusalsBeforeConnecting_belongToDanesMxHost_orToTheStsDomain() throws Exception {
        Target target = new Target("mx.example.net", InetAddress.getByName("192.0.2.25"), 25);
        assertEquals(AppliedPolicy.dane("mx.example.net", List.of()), TlsSessions.refusedUnder(
                Failure.temporary("4.7.5", "dane", Rfc8460ResultType.DNSSEC_INVALID, "bogus"), target, "example.net"));
        assertEquals(AppliedPolicy.mtaSts("example.net", List.of(), List.of()), TlsSessions.refusedUnder(
                Failure.temporary("4.7.5", "mta-sts", Rfc8460ResultType.STS_POLICY_INVALID, "bad"), target, "example.net"));
        assertEquals(AppliedPolicy.none("example.net"), TlsSessions.refusedUnder(
                Failure.temporary("4.7.5", "static", Rfc8460ResultType.VALIDATION_FAILURE, "x"), target, "example.net"));
        assertEquals(FailureDetail.of(ResultType.DNSSEC_INVALID, "", "mx.example.net", "192.0.2.25", "4.7.5"),
                TlsSessions.detail(Rfc8460ResultType.DNSSEC_INVALID, null, target, "4.7.5"));
    }

    @Test
    void everyPolicyResultType_isTheReportsResultTypeOfTheSameName() {
        for (Rfc8460ResultType type : Rfc8460ResultType.values()) {
            assertEquals(type.wireName(), TlsSessions.resultType(type).wireName());
        }
    }

    @Test
    void handshakeFailures_sayWhatFailed_whereTheEngineTells() {
        assertEquals(Rfc8460ResultType.CERTIFICATE_EXPIRED, TlsSessions.handshake(
                new SSLHandshakeException("x").initCause(new CertificateExpiredException("NotAfter: ..."))));
        assertEquals(Rfc8460ResultType.CERTIFICATE_NOT_TRUSTED, TlsSessions.handshake(
                new SSLHandshakeException("x").initCause(new CertPathValidatorException("no trust anchor"))));
        assertEquals(Rfc8460ResultType.CERTIFICATE_HOST_MISMATCH, TlsSessions.handshake(
                new SSLHandshakeException("x").initCause(new CertificateException("No subject alternative DNS name matching mx"))));
        assertEquals(Rfc8460ResultType.VALIDATION_FAILURE, TlsSessions.handshake(
                new SSLHandshakeException("Received fatal alert: handshake_failure")));
    }

    @Test
    void starttlsRefusal_reasonCode_isTheReplyCodeAndEnhancedCode() {
        assertEquals("454 4.7.0", Connector.reasonCode(new SmtpReply(454, List.of("4.7.0 TLS not available"))));
        assertEquals("454", Connector.reasonCode(new SmtpReply(454, List.of("TLS not available"))));
    }

    // Sessions as a delivery counts them.

    @Test
    void pooledConnection_carryingThreeMessages_isOneSuccessfulSession_underDane() throws Exception {
        SelfSignedCertificate certificate = new SelfSignedCertificate("mx.dane.test");
        int port = tlsDestination(certificate);
        String tlsa = "3 1 1 " + DaneTestDomain.spkiSha256(certificate);
        SmtpDeliverer deliverer = daneDeliverer(port, tlsa);
        for (int i = 0; i < 3; i++) {
            assertEquals(DeliveryStatus.DELIVERED, deliver(deliverer, message("bob@dane.test", "submission")).status());
        }
        assertEquals(Map.of(AppliedPolicy.dane("mx.dane.test", List.of(tlsa)), new TlsReporting.Counted(1, Map.of())),
                reporting.counted(today));
    }

    @Test
    void tlsaThatDoesNotMatch_isATlsaInvalidFailure_withOurAddressTheMxAndItsAddress() throws Exception {
        SelfSignedCertificate certificate = new SelfSignedCertificate("mx.dane.test");
        int port = tlsDestination(certificate);
        String tlsa = "3 1 1 " + DaneTestDomain.spkiSha256(new SelfSignedCertificate("mx.dane.test"));
        assertEquals(DeliveryStatus.DEFERRED, deliver(daneDeliverer(port, tlsa), message("bob@dane.test", "submission"))
                .status());
        assertEquals(Map.of(AppliedPolicy.dane("mx.dane.test", List.of(tlsa)), new TlsReporting.Counted(0, Map.of(
                FailureDetail.of(ResultType.TLSA_INVALID, "127.0.0.1", "mx.dane.test", "127.0.0.1", "4.7.5"), 1L))),
                reporting.counted(today));
    }

    @Test
    void theDeliveryOfAReport_isNotCounted() throws Exception {
        SelfSignedCertificate certificate = new SelfSignedCertificate("mx.dane.test");
        int port = tlsDestination(certificate);
        SmtpDeliverer deliverer = daneDeliverer(port, "3 1 1 " + DaneTestDomain.spkiSha256(new SelfSignedCertificate("mx.dane.test")));
        RecipientResult result = deliver(deliverer, message("bob@dane.test", TlsReporting.LISTENER));
        assertEquals("4.7.5", result.enhancedCode(), result.diagnostic()); // the TLSA check failed, as for any message
        assertEquals(Map.of(), reporting.counted(today));
    }

    @Test
    void tlsaLookupThatFails_beforeConnecting_isDnssecInvalid_forTheMxHost() throws Exception {
        try (ScriptedServer peer = new ScriptedServer()) {
            DnsResolver dns = new ForwardingResolver(DaneTestDomain.signed(peer.port(), null)) {
                @Override
                public CompletableFuture<org.sealpost.dnssec.DnsAnswer<org.sealpost.dnssec.TlsaRecord>> tlsa(String n) {
                    // RFC 7672 2.2: a TLSA lookup that fails never means "no DANE"
                    return CompletableFuture.completedFuture(org.sealpost.dnssec.DnsAnswer.failed(
                            org.sealpost.dnssec.Outcome.SERVFAIL, org.sealpost.dnssec.Security.BOGUS, "validation failed"));
                }
            };
            SmtpDeliverer deliverer = deliverer(Map.of("*", Route.parse("dane.test:" + peer.port())), dns,
                    new Policies(List.of(new DefaultLevel(TlsLevel.DANE), new DanePolicy(new DaneLookup(dns), Clock.systemUTC()))));
            assertEquals("4.7.5", deliver(deliverer, message("bob@dane.test", "submission")).enhancedCode());
            TlsReporting.Counted counted = reporting.counted(today).get(AppliedPolicy.dane("mx.dane.test", List.of()));
            assertEquals(Map.of(FailureDetail.of(ResultType.DNSSEC_INVALID, "", "mx.dane.test", "127.0.0.1", "4.7.5"), 1L,
                    FailureDetail.of(ResultType.DNSSEC_INVALID, "", "mx.dane.test", "::1", "4.7.5"), 1L),
                    counted.failures(), "one refusal per address of the host");
            assertEquals(0, peer.connections.get());
        }
    }

    @Test
    void daneOnlyRefusingAnIpLiteral_beforeConnecting_isDaneRequired_forThatHost() throws Exception {
        try (ScriptedServer peer = new ScriptedServer()) {
            SmtpDeliverer deliverer = deliverer(Map.of("*", Route.parse("[127.0.0.1]:" + peer.port())), new FakeDns(),
                    new Policies(List.of(new DefaultLevel(TlsLevel.DANE_ONLY),
                            new DanePolicy(new DaneLookup(new FakeDns()), Clock.systemUTC()))));
            assertEquals(DeliveryStatus.DEFERRED, deliver(deliverer, message("bob@dest.example", "submission")).status());
            assertEquals(Map.of(AppliedPolicy.dane("127.0.0.1", List.of()), new TlsReporting.Counted(0, Map.of(
                    FailureDetail.of(ResultType.DANE_REQUIRED, "", "127.0.0.1", "127.0.0.1", "4.7.5"), 1L))),
                    reporting.counted(today));
        }
    }

    @Test
    void encryptTowardAHostWithoutStarttls_isStarttlsNotSupported() throws Exception {
        try (ScriptedServer peer = new ScriptedServer()) {
            SmtpDeliverer deliverer = literal(peer.port(), TlsLevel.ENCRYPT);
            assertEquals(DeliveryStatus.DEFERRED, deliver(deliverer, message("bob@dest.example", "submission")).status());
            assertEquals(Map.of(AppliedPolicy.none("dest.example"), new TlsReporting.Counted(0, Map.of(
                    FailureDetail.of(ResultType.STARTTLS_NOT_SUPPORTED, "127.0.0.1", "127.0.0.1", "127.0.0.1", "4.7.4"), 1L))),
                    reporting.counted(today));
        }
    }

    @Test
    void encryptTowardAHostRefusingStarttls_isStarttlsNotSupported_withItsReply() throws Exception {
        try (ScriptedServer peer = new ScriptedServer()) {
            peer.keywords = List.of("STARTTLS", "ENHANCEDSTATUSCODES");
            peer.replies.put("STARTTLS", "454 4.7.0 TLS not available due to temporary reason");
            SmtpDeliverer deliverer = literal(peer.port(), TlsLevel.ENCRYPT);
            assertEquals(DeliveryStatus.DEFERRED, deliver(deliverer, message("bob@dest.example", "submission")).status());
            assertEquals(Map.of(AppliedPolicy.none("dest.example"), new TlsReporting.Counted(0, Map.of(
                    FailureDetail.of(ResultType.STARTTLS_NOT_SUPPORTED, "127.0.0.1", "127.0.0.1", "127.0.0.1", "454 4.7.0"),
                    1L))), reporting.counted(today));
        }
    }

    @Test
    void encryptWhereTheHandshakeFails_isAValidationFailure_withTheAlert() throws Exception {
        try (ScriptedServer peer = new ScriptedServer()) {
            peer.keywords = List.of("STARTTLS");
            peer.replies.put("STARTTLS", "220 2.0.0 go ahead"); // and then plaintext: no TLS server behind it
            SmtpDeliverer deliverer = literal(peer.port(), TlsLevel.ENCRYPT);
            assertEquals(DeliveryStatus.DEFERRED, deliver(deliverer, message("bob@dest.example", "submission")).status());
            TlsReporting.Counted counted = reporting.counted(today).get(AppliedPolicy.none("dest.example"));
            FailureDetail failure = counted.failures().keySet().iterator().next();
            assertEquals(ResultType.VALIDATION_FAILURE, failure.resultType());
            assertEquals("127.0.0.1", failure.sendingMtaIp());
            assertEquals(1L, counted.failures().get(failure));
        }
    }

    @Test
    void mayTowardAHostWithoutStarttls_isStarttlsNotSupported_underNoPolicy_andDelivered() throws Exception {
        try (ScriptedServer peer = new ScriptedServer()) {
            SmtpDeliverer deliverer = literal(peer.port(), TlsLevel.MAY);
            for (int i = 0; i < 2; i++) {
                assertEquals(DeliveryStatus.DELIVERED, deliver(deliverer, message("bob@dest.example", "submission")).status());
            }
            assertEquals(Map.of(AppliedPolicy.none("dest.example"), new TlsReporting.Counted(0, Map.of(
                    FailureDetail.of(ResultType.STARTTLS_NOT_SUPPORTED, "127.0.0.1", "127.0.0.1", "127.0.0.1", ""), 1L))),
                    reporting.counted(today), "one pooled connection, one session");
        }
    }

    @Test
    void levelNone_triesNoTls_andCountsNothing() throws Exception {
        try (ScriptedServer peer = new ScriptedServer()) {
            assertEquals(DeliveryStatus.DELIVERED, deliver(literal(peer.port(), TlsLevel.NONE),
                    message("bob@dest.example", "submission")).status());
            assertEquals(Map.of(), reporting.counted(today));
        }
    }

    @Test
    void aFailureThatIsOnlyReported_isCountedAsAFailure_andTheMessageDelivered() throws Exception {
        SelfSignedCertificate certificate = new SelfSignedCertificate("mx.sts.test");
        int port = tlsDestination(certificate);
        PublishedPolicy sts = PublishedPolicy.sts("dest.example", List.of("version: STSv1", "mode: testing",
                "mx: mx.sts.test", "max_age: 86400"), List.of("mx.sts.test"));
        Failure untrusted = Failure.temporary("4.7.5", "mta-sts", Rfc8460ResultType.CERTIFICATE_NOT_TRUSTED,
                "the chain leads to no trusted authority");
        DeliveryPolicy testing = TestPolicy.unchanged("mta-sts").publishing(sts).checking(Check.passReporting("none",
                untrusted));
        SmtpDeliverer deliverer = deliverer(Map.of("*", Route.parse("[127.0.0.1]:" + port)), new FakeDns(),
                new Policies(List.of(new DefaultLevel(TlsLevel.MAY), testing)));
        assertEquals(DeliveryStatus.DELIVERED, deliver(deliverer, message("bob@dest.example", "submission")).status());
        assertEquals(Map.of(TlsSessions.applied(sts, "dest.example"), new TlsReporting.Counted(0, Map.of(
                FailureDetail.of(ResultType.CERTIFICATE_NOT_TRUSTED, "127.0.0.1", "127.0.0.1", "127.0.0.1", "4.7.5"), 1L))),
                reporting.counted(today));
    }

    @Test
    void recipientProbes_areNotCounted() throws Exception {
        try (ScriptedServer peer = new ScriptedServer()) {
            SmtpDeliverer deliverer = literal(peer.port(), TlsLevel.MAY);
            deliverer.probe("dest.example", "bob@dest.example").join();
            assertEquals(Map.of(), reporting.counted(today));
        }
    }

    // Fixtures.

    private int tlsDestination(SelfSignedCertificate certificate) throws Exception {
        SmtpServer server = new SmtpServer(DaneTestDomain.mxListener(certificate, Set.of("dane.test", "dest.example")),
                mailbox, loop.group(), NioServerSocketChannel.class);
        loop.closeAfterTest(server::close);
        return server.start().getPort();
    }

    private SmtpDeliverer daneDeliverer(int port, String tlsa) throws Exception {
        DnsResolver dns = DaneTestDomain.signed(port, tlsa);
        return deliverer(Map.of("*", Route.parse("dane.test:" + port)), dns, new Policies(List.of(
                new DefaultLevel(TlsLevel.DANE), new DanePolicy(new DaneLookup(dns), Clock.systemUTC()))));
    }

    private SmtpDeliverer literal(int port, TlsLevel level) throws Exception {
        return deliverer(Map.of("*", Route.parse("[127.0.0.1]:" + port)), new FakeDns(),
                new Policies(List.of(new DefaultLevel(level))));
    }

    private SmtpDeliverer deliverer(Map<String, Route> routes, DnsResolver dns, Policies policies) throws Exception {
        reporting = TlsReporting.open(dir, Clock.systemUTC());
        loop.closeAfterTest(reporting);
        return loop.closeAfterTest(new SmtpDeliverer(TestClientSettings.toward(routes), dns, policies, loop.group(),
                NioSocketChannel.class, Metrics.none(), reporting));
    }

    private static TestMessage message(String recipient, String listener) {
        TestMessage plain = TestMessage.of("Subject: tlsrpt\r\n\r\nx", BodyType.SEVEN_BIT, false, recipient);
        Envelope e = plain.envelope();
        Envelope envelope = new Envelope(e.sender(), e.recipients(), e.body(), e.smtputf8(), e.ret(), e.envid(),
                new Envelope.ClientInfo("127.0.0.1", "c", "ESMTP", "", "", listener), Instant.now());
        return new TestMessage(plain.queueId(), envelope, plain.content());
    }

    private static RecipientResult deliver(SmtpDeliverer deliverer, TestMessage message) {
        String domain = message.envelope().recipients().get(0).address().replaceFirst(".*@", "");
        return deliverer.deliver(message, domain, message.envelope().recipients()).join().get(0);
    }
}
