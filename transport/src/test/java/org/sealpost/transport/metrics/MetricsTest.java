package org.sealpost.transport.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.sealpost.keyexchange.policy.TlsLevel;
import org.sealpost.signing.arc.ArcStatus;
import org.sealpost.signing.dkim.DkimResult;
import org.sealpost.signing.dkim.Verdict;
import org.sealpost.signing.dmarc.DmarcResult;
import org.sealpost.signing.dmarc.Policy;
import org.sealpost.signing.spf.SpfResult;
import org.sealpost.transport.queue.DeliveryStatus;
import org.sealpost.transport.queue.Recipient;
import org.sealpost.transport.queue.RecipientResult;

class MetricsTest {

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final Metrics metrics = Metrics.over(registry);

    private double count(String name, String... tags) {
        var counter = registry.find(name).tags(tags).counter();
        return counter == null ? 0 : counter.count();
    }

    @Test
    void received_isClassifiedByTheReplysFirstDigit() {
        metrics.received("mx", "data", "250 2.0.0 Ok: queued as 0123456789ABCDEF");
        metrics.received("mx", "data", "250 2.0.0 Ok: queued as 0123456789ABCDEE");
        metrics.received("mx", "rcpt", "554 5.7.1 <x@example.net>: Relay access denied");
        metrics.received("submission", "data", "451 4.3.0 Error: queue file write error");
        assertEquals(2, count("sealpost.messages.received", "listener", "mx", "stage", "data", "result", "accepted"));
        assertEquals(1, count("sealpost.messages.received", "listener", "mx", "stage", "rcpt", "result", "refused"));
        assertEquals(1, count("sealpost.messages.received", "listener", "submission", "result", "deferred"));
    }

    @Test
    void deliveries_countEachRecipient_andTheTlsLevelOnlyWhatWasDelivered() {
        RecipientResult sent = result(DeliveryStatus.DELIVERED, "2.0.0", "250 2.0.0 Ok", true);
        RecipientResult refused = result(DeliveryStatus.BOUNCED, "5.1.1", "550 5.1.1 no such user", true);
        List.of(sent, sent, refused).forEach(metrics::delivery);
        metrics.expired();
        metrics.deliveredOver(TlsLevel.MAY, "TLSv1.3 TLS_AES_256_GCM_SHA384 (none)", List.of(sent, sent, refused));
        assertEquals(2, count("sealpost.deliveries", "status", "sent", "class", "none"));
        assertEquals(1, count("sealpost.deliveries", "status", "bounced", "class", "refused-5xx"));
        assertEquals(1, count("sealpost.deliveries", "status", "bounced", "class", "expired"));
        assertEquals(2, count("sealpost.delivery.tls", "level", "may"));
    }

    @Test
    void tlsrptSessions_areCountedByPolicyTypeAndResult() {
        metrics.tlsrptSession("tlsa", "success");
        metrics.tlsrptSession("tlsa", "success");
        metrics.tlsrptSession("no-policy-found", "starttls-not-supported");
        assertEquals(2, count("sealpost.tlsrpt.sessions", "policy", "tlsa", "result", "success"));
        assertEquals(1, count("sealpost.tlsrpt.sessions", "policy", "no-policy-found", "result", "starttls-not-supported"));
    }

    @Test
    void checks_countEachSignature_andNoneWithoutOne() {
        DkimResult pass = new DkimResult(Verdict.PASS, "", "example.org", "s", "ed25519-sha256", "", "", Optional.empty(),
                false, false);
        metrics.checked(SpfResult.PASS, List.of(pass, pass), ArcStatus.NONE, DmarcResult.PASS, Policy.NONE, "ACCEPT");
        metrics.checked(SpfResult.FAIL, List.of(), ArcStatus.FAIL, null, null, "REJECT");
        assertEquals(2, count("sealpost.dkim.results", "result", "pass"));
        assertEquals(1, count("sealpost.dkim.results", "result", "none"));
        assertEquals(1, count("sealpost.spf.results", "result", "fail"));
        assertEquals(1, count("sealpost.arc.results", "result", "fail"));
        assertEquals(1, count("sealpost.dmarc.results", "result", "pass", "disposition", "none"));
        assertEquals(1, count("sealpost.dmarc.results", "result", "none", "disposition", "none"));
        assertEquals(1, count("sealpost.inbound.verdicts", "action", "reject"));
    }

    private static RecipientResult result(DeliveryStatus status, String code, String diagnostic, boolean remote) {
        return new RecipientResult(Recipient.of("bob@example.net"), status, code, diagnostic, "mx.example.net", remote);
    }
}
