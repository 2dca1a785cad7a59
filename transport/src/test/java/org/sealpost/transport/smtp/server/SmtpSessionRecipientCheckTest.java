package org.sealpost.transport.smtp.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

/** An mx listener's RCPT waits for the recipient check, and replies what it said, in order. */
class SmtpSessionRecipientCheckTest {

    /** A check whose answers the test gives, one pending future per address. */
    private static final class HeldCheck implements RecipientCheck {
        final Map<String, CompletableFuture<Optional<String>>> pending = new ConcurrentHashMap<>();
        final List<String> asked = new ArrayList<>();

        @Override
        public CompletableFuture<Optional<String>> check(String address, String domain) {
            asked.add(address + " " + domain);
            return pending.computeIfAbsent(address, a -> new CompletableFuture<>());
        }
    }

    private static SessionHarness mx(RecipientCheck check) {
        return new SessionHarness(new ListenerSettings("mx", ListenerRole.MX, new InetSocketAddress("127.0.0.1", 0),
                "mx.example.test", List.of(), Set.of("example.test"), null, null, SessionHarness.LIMITS, null, null, null,
                check, null));
    }

    @Test
    void unknownRecipient_isRefusedAtRcpt_withTheChecksReply() {
        HeldCheck check = new HeldCheck();
        SessionHarness session = mx(check);
        session.replies();
        session.finalLines("EHLO client.example\r\nMAIL FROM:<alice@example.org>\r\n");
        assertEquals(List.of(), session.send("RCPT TO:<nobody@Example.Test>\r\n"), "no reply before the check answers");
        assertEquals(List.of("nobody@Example.Test example.test"), check.asked);
        String refusal = "550 5.1.1 <nobody@Example.Test>: Recipient address rejected: undeliverable address: host x said: "
                + "550 5.1.1 unknown (in reply to RCPT TO command)";
        check.pending.get("nobody@Example.Test").complete(Optional.of(refusal));
        session.channel.runPendingTasks();
        assertEquals(List.of(refusal), session.replies());
        assertEquals(List.of("554 5.5.1 Error: no valid recipients"), session.send("DATA\r\n"));
    }

    @Test
    void pipelinedCommands_waitForTheCheck_andTheRepliesKeepTheirOrder() {
        HeldCheck check = new HeldCheck();
        SessionHarness session = mx(check);
        session.replies();
        session.finalLines("EHLO client.example\r\n");
        List<String> first = session.send("MAIL FROM:<alice@example.org>\r\nRCPT TO:<bob@example.test>\r\n"
                + "RCPT TO:<carol@example.test>\r\nDATA\r\n");
        assertEquals(List.of("250 2.1.0 Ok"), first);
        check.pending.get("bob@example.test").complete(Optional.empty());
        session.channel.runPendingTasks();
        assertEquals(List.of("250 2.1.5 Ok"), session.replies());
        check.pending.get("carol@example.test").complete(Optional.of("450 4.1.1 <carol@example.test>: Recipient address "
                + "rejected: unverified address: connect to x: Connection refused"));
        session.channel.runPendingTasks();
        List<String> rest = session.replies();
        assertEquals(2, rest.size(), rest.toString());
        assertTrue(rest.get(0).startsWith("450 4.1.1 <carol@example.test>"), rest.get(0));
        assertTrue(rest.get(1).startsWith("354 "), rest.get(1));
        session.send("Subject: x\r\n\r\nbody\r\n.\r\n");
        assertEquals(List.of("bob@example.test"), session.sink.committed.get(0).envelope().recipients().stream()
                .map(r -> r.address()).toList());
    }

    /** A filter that counts the transactions begun (where an mx listener's SPF check starts). */
    private static final class CountingFilter implements MessageFilter {
        final List<String> begun = new ArrayList<>();

        @Override
        public Transaction begin(java.net.InetAddress client, String helo, String sender) {
            begun.add(sender);
            return this::start;
        }

        @Override
        public Run start(String queueId, org.sealpost.transport.queue.Envelope envelope, String authUser) {
            return new Run() {
                @Override
                public void accept(java.nio.ByteBuffer content) {
                }

                @Override
                public CompletableFuture<Outcome> finish() {
                    return CompletableFuture.completedFuture(Outcome.accept(org.sealpost.transport.queue.Additions.NONE));
                }
            };
        }
    }

    @Test
    void theFiltersTransaction_beginsAtTheFirstAcceptedRecipient_notAtMailFrom() {
        HeldCheck check = new HeldCheck();
        CountingFilter filter = new CountingFilter();
        SessionHarness session = new SessionHarness(new ListenerSettings("mx", ListenerRole.MX,
                new InetSocketAddress("127.0.0.1", 0), "mx.example.test", List.of(), Set.of("example.test"), null, null,
                SessionHarness.LIMITS, null, filter, null, check, null));
        session.replies();
        session.finalLines("EHLO client.example\r\nMAIL FROM:<probe@spf-heavy.example>\r\n");
        assertEquals(List.of("554 5.7.1 <victim@elsewhere.example>: Relay access denied"),
                session.send("RCPT TO:<victim@elsewhere.example>\r\n"));
        session.send("RCPT TO:<nobody@example.test>\r\n");
        check.pending.get("nobody@example.test").complete(Optional.of("550 5.1.1 <nobody@example.test>: unknown"));
        session.channel.runPendingTasks();
        session.replies();
        assertEquals(List.of(), filter.begun, "a transaction with every recipient refused began the checks");
        session.send("RCPT TO:<bob@example.test>\r\n");
        check.pending.get("bob@example.test").complete(Optional.empty());
        session.channel.runPendingTasks();
        assertEquals(List.of("250 2.1.5 Ok"), session.replies());
        session.send("RCPT TO:<postmaster@example.test>\r\n");
        assertEquals(List.of("probe@spf-heavy.example"), filter.begun, "begun once, at the first accepted recipient");
        session.send("DATA\r\nSubject: x\r\n\r\nbody\r\n.\r\n");
        assertEquals(1, session.sink.committed.size());
    }

    @Test
    void postmaster_isNeverChecked() {
        HeldCheck check = new HeldCheck();
        SessionHarness session = mx(check);
        session.replies();
        List<String> replies = session.finalLines("EHLO client.example\r\nMAIL FROM:<alice@example.org>\r\n"
                + "RCPT TO:<Postmaster@example.test>\r\n");
        assertEquals("250 2.1.5 Ok", replies.get(replies.size() - 1));
        assertEquals(List.of(), check.asked);
    }

    @Test
    void verifiedClientName_goesIntoTheEnvelopeAndTheReceivedField() {
        SessionHarness session = new SessionHarness(new ListenerSettings("mx", ListenerRole.MX,
                new InetSocketAddress("127.0.0.1", 0), "mx.example.test", List.of(), Set.of("example.test"), null, null,
                SessionHarness.LIMITS, null, null, null, null,
                address -> CompletableFuture.completedFuture("mail.client.example")));
        session.openTransaction();
        session.send("DATA\r\nSubject: x\r\n\r\nbody\r\n.\r\n");
        RecordingSink.Message stored = session.sink.committed.get(0);
        assertEquals("mail.client.example", stored.envelope().client().name());
        assertTrue(stored.content().startsWith("Received: from client.example (mail.client.example [192.0.2.1])"),
                stored.content());
    }

    @Test
    void mxMail_carriesTheClientsPort_forTheHandoff_submissionMailDoesNot() {
        SessionHarness mx = new SessionHarness(SessionHarness.mx());
        mx.openTransaction();
        mx.send("DATA\r\nSubject: x\r\n\r\nbody\r\n.\r\n");
        assertEquals(40000, mx.sink.committed.get(0).envelope().client().port());

        SessionHarness submission = new SessionHarness(SessionHarness.submission("192.0.2.0/24", null));
        submission.replies();
        submission.send("EHLO client.example\r\nMAIL FROM:<alice@example.org>\r\nRCPT TO:<bob@example.net>\r\n"
                + "DATA\r\nSubject: x\r\n\r\nbody\r\n.\r\n");
        assertEquals(0, submission.sink.committed.get(0).envelope().client().port());
    }
}
