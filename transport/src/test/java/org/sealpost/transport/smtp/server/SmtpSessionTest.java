package org.sealpost.transport.smtp.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SmtpSessionTest {

    private final SessionHarness mx = new SessionHarness(SessionHarness.mx());

    private static void assertReply(String expectedStart, String actual) {
        assertTrue(actual.startsWith(expectedStart), "expected " + expectedStart + "..., got " + actual);
    }

    @Test
    void greeting_namesTheHost() {
        assertEquals(List.of("220 mx.example.test ESMTP Sealpost"), mx.replies());
    }

    @Test
    void ehlo_announcesTheExtensions_butNotStarttlsWithoutCertificate() {
        mx.replies();
        List<String> reply = mx.send("EHLO client.example\r\n");
        assertTrue(reply.containsAll(List.of("250-PIPELINING", "250-SIZE 10000", "250-8BITMIME", "250-DSN",
                "250-ENHANCEDSTATUSCODES", "250-SMTPUTF8", "250 CHUNKING")), reply.toString());
        assertFalse(reply.stream().anyMatch(l -> l.contains("STARTTLS") || l.contains("AUTH")), reply.toString());
    }

    @Test
    void verbsOutOfOrder_areRefusedWith503() {
        mx.replies();
        assertReply("503 5.5.1", mx.send("MAIL FROM:<a@example.org>\r\n").get(0));
        mx.send("EHLO client.example\r\n");
        assertReply("503 5.5.1", mx.send("RCPT TO:<b@example.test>\r\n").get(0));
        assertReply("503 5.5.1", mx.send("DATA\r\n").get(0));
        assertReply("250 2.1.0", mx.send("MAIL FROM:<a@example.org>\r\n").get(0));
        assertReply("503 5.5.1", mx.send("MAIL FROM:<a@example.org>\r\n").get(0));
        assertReply("503 5.5.1", mx.send("DATA\r\n").get(0));
        assertReply("503 5.5.1", mx.send("BDAT 3 LAST\r\nabc").get(0));
        assertReply("250 2.0.0", mx.send("RSET\r\n").get(0));
        assertReply("250 2.0.0", mx.send("NOOP\r\n").get(0));
        assertTrue(mx.sink.committed.isEmpty());
    }

    /** A filter that sees the content and decides at its end, as DKIM signing and verification do. */
    private static ListenerSettings filtered(MessageFilter filter) {
        ListenerSettings mx = SessionHarness.mx();
        return new ListenerSettings(mx.name(), mx.role(), mx.address(), mx.hostname(), mx.trustedNetworks(),
                mx.localDomains(), null, null, mx.limits(), null, filter, null);
    }

    @Test
    void filter_seesTheClientsContent_andItsAdditionsAreCommittedWithTheMessage() {
        StringBuilder seen = new StringBuilder();
        SessionHarness session = new SessionHarness(filtered((queueId, envelope, authUser) -> new MessageFilter.Run() {
            @Override
            public void accept(java.nio.ByteBuffer content) {
                seen.append(java.nio.charset.StandardCharsets.UTF_8.decode(content));
            }

            @Override
            public java.util.concurrent.CompletableFuture<MessageFilter.Outcome> finish() {
                return java.util.concurrent.CompletableFuture.completedFuture(MessageFilter.Outcome.accept(
                        new org.sealpost.transport.queue.Additions(java.util.List.of("X-Seen: " + seen.length() + "\r\n"),
                                java.util.List.of("dkim=none"))));
            }
        }));
        session.replies();
        session.send("EHLO client.example\r\nMAIL FROM:<a@example.org>\r\nRCPT TO:<b@example.test>\r\n");
        assertReply("354", session.send("DATA\r\n").get(0));
        assertReply("250 2.0.0", session.send("Subject: x\r\n\r\n..dot\r\n.\r\n").get(0));
        assertEquals("Subject: x\r\n\r\n.dot\r\n", seen.toString(), "the filter sees the content unstuffed, no Received");
        RecordingSink.Message committed = session.sink.committed.get(0);
        assertEquals(java.util.List.of("X-Seen: 20\r\n"), committed.additions().prepend());
        assertEquals(java.util.List.of("dkim=none"), committed.additions().results());
    }

    @Test
    void filterHeader_dropsFieldsBeforeTheyAreStored_inALargeMessageArrivingInPieces() {
        SessionHarness session = new SessionHarness(new ListenerSettings("mx", ListenerRole.MX,
                new java.net.InetSocketAddress("127.0.0.1", 0), "mx.example.test", java.util.List.of(),
                java.util.Set.of("example.test"), null, null, new SessionLimits(512, 1000, 4_000_000, 3,
                        java.time.Duration.ofMinutes(5), java.time.Duration.ofHours(1), 10), null,
                (queueId, envelope, authUser) -> new MessageFilter.Run() {
                    @Override
                    public void accept(java.nio.ByteBuffer content) {
                    }

                    @Override
                    public byte[] header(byte[] section) {
                        return new String(section, java.nio.charset.StandardCharsets.ISO_8859_1)
                                .replaceAll("(?m)^X-Drop: [^\r]*\r\n", "")
                                .getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
                    }

                    @Override
                    public java.util.concurrent.CompletableFuture<MessageFilter.Outcome> finish() {
                        return java.util.concurrent.CompletableFuture.completedFuture(
                                MessageFilter.Outcome.accept(org.sealpost.transport.queue.Additions.NONE));
                    }
                }, null));
        StringBuilder header = new StringBuilder();
        for (int i = 0; i < 5000; i++) {
            header.append("X-Keep-").append(i).append(": ").append("k".repeat(60)).append("\r\n");
        }
        header.append("X-Drop: forged\r\n").append("From: a@example.org\r\n\r\n");
        String body = ("b".repeat(70) + "\r\n").repeat(30_000);
        session.replies();
        session.send("EHLO client.example\r\nMAIL FROM:<a@example.org>\r\nRCPT TO:<b@example.test>\r\n");
        assertReply("354", session.send("DATA\r\n").get(0));
        String message = header + body;
        for (int i = 0; i < message.length(); i += 8191) {
            session.send(message.substring(i, Math.min(message.length(), i + 8191)));
        }
        assertReply("250 2.0.0", session.send(".\r\n").get(0));
        String stored = session.sink.committed.get(0).content();
        assertFalse(stored.contains("X-Drop"), "dropped before it was written");
        assertTrue(stored.startsWith("Received: from client.example"), stored.substring(0, 40));
        assertTrue(stored.endsWith(header.toString().replace("X-Drop: forged\r\n", "") + body), "every other octet as it came");
    }

    @Test
    void headerSectionEnd_isFound_whereverThePiecesSplitIt() {
        // The blank line may arrive split across reads at any octet; the filter sees the header
        // section exactly, and the stored content is every octet as it came.
        String message = "From: a@example.org\r\nSubject: split\r\n\r\nbody line\r\n\r\nmore\r\n";
        for (int cut = 1; cut < message.length(); cut++) {
            java.util.List<String> seen = new java.util.ArrayList<>();
            SessionHarness session = new SessionHarness(filtered((queueId, envelope, authUser) -> new MessageFilter.Run() {
                @Override
                public void accept(java.nio.ByteBuffer content) {
                }

                @Override
                public byte[] header(byte[] section) {
                    seen.add(new String(section, java.nio.charset.StandardCharsets.ISO_8859_1));
                    return section;
                }

                @Override
                public java.util.concurrent.CompletableFuture<MessageFilter.Outcome> finish() {
                    return java.util.concurrent.CompletableFuture.completedFuture(
                            MessageFilter.Outcome.accept(org.sealpost.transport.queue.Additions.NONE));
                }
            }));
            session.replies();
            session.send("EHLO client.example\r\nMAIL FROM:<a@example.org>\r\nRCPT TO:<b@example.test>\r\nDATA\r\n");
            session.send(message.substring(0, cut));
            session.send(message.substring(cut));
            assertReply("250 2.0.0", session.send(".\r\n").get(0));
            assertEquals(java.util.List.of("From: a@example.org\r\nSubject: split\r\n\r\n"), seen, "cut at " + cut);
            assertTrue(session.sink.committed.get(0).content().endsWith(message), "cut at " + cut);
        }
    }

    @Test
    void headerSectionOverTheLimit_isRefusedOnAnMxListener() {
        SessionHarness session = new SessionHarness(new ListenerSettings("mx", ListenerRole.MX,
                new java.net.InetSocketAddress("127.0.0.1", 0), "mx.example.test", java.util.List.of(),
                java.util.Set.of("example.test"), null, null, new SessionLimits(512, 1000, 4_000_000, 3,
                        java.time.Duration.ofMinutes(5), java.time.Duration.ofHours(1), 10)));
        session.replies();
        session.send("EHLO client.example\r\nMAIL FROM:<a@example.org>\r\nRCPT TO:<b@example.test>\r\nDATA\r\n");
        String field = "X-Long: " + "h".repeat(60) + "\r\n";
        session.send(field.repeat(Reception.HEADER_LIMIT / field.length() + 1));
        assertReply("552 5.3.4", session.send("\r\nbody\r\n.\r\n").get(0));
        assertTrue(session.sink.committed.isEmpty());
    }

    @Test
    void filterRefusal_isTheReply_andNothingIsQueued() {
        SessionHarness session = new SessionHarness(filtered((queueId, envelope, authUser) -> new MessageFilter.Run() {
            @Override
            public void accept(java.nio.ByteBuffer content) {
            }

            @Override
            public java.util.concurrent.CompletableFuture<MessageFilter.Outcome> finish() {
                return java.util.concurrent.CompletableFuture.completedFuture(
                        MessageFilter.Outcome.refuse("550 5.7.1 Error: not for you"));
            }
        }));
        session.replies();
        session.send("EHLO client.example\r\nMAIL FROM:<a@example.org>\r\nRCPT TO:<b@example.test>\r\n");
        session.send("DATA\r\n");
        assertReply("550 5.7.1", session.send("Subject: x\r\n\r\nbody\r\n.\r\n").get(0));
        assertTrue(session.sink.committed.isEmpty());
        assertReply("250 2.1.0", session.send("MAIL FROM:<a@example.org>\r\n").get(0));
    }

    /** A filter that accepts everything and counts the messages it is told were queued. */
    private static MessageFilter countingQueued(java.util.concurrent.atomic.AtomicInteger queued) {
        return (queueId, envelope, authUser) -> new MessageFilter.Run() {
            @Override
            public void accept(java.nio.ByteBuffer content) {
            }

            @Override
            public java.util.concurrent.CompletableFuture<MessageFilter.Outcome> finish() {
                return java.util.concurrent.CompletableFuture.completedFuture(
                        MessageFilter.Outcome.accept(org.sealpost.transport.queue.Additions.NONE));
            }

            @Override
            public void queued() {
                queued.incrementAndGet();
            }
        };
    }

    @Test
    void filter_isToldQueued_onlyOnceTheQueueCommitted() {
        java.util.concurrent.atomic.AtomicInteger queued = new java.util.concurrent.atomic.AtomicInteger();
        SessionHarness failing = new SessionHarness(filtered(countingQueued(queued)));
        failing.sink.failCommits = true;
        failing.replies();
        failing.send("EHLO client.example\r\nMAIL FROM:<a@example.org>\r\nRCPT TO:<b@example.test>\r\nDATA\r\n");
        assertReply("451 4.3.0", failing.send("Subject: x\r\n\r\nbody\r\n.\r\n").get(0));
        assertEquals(0, queued.get(), "a message the queue did not take was not queued");

        SessionHarness session = new SessionHarness(filtered(countingQueued(queued)));
        session.replies();
        session.send("EHLO client.example\r\nMAIL FROM:<a@example.org>\r\nRCPT TO:<b@example.test>\r\nDATA\r\n");
        assertReply("250 2.0.0", session.send("Subject: x\r\n\r\nbody\r\n.\r\n").get(0));
        assertEquals(1, queued.get());
    }

    @Test
    void simpleVerbs_getTheirReplies() {
        mx.replies();
        assertReply("252 2.5.0", mx.send("VRFY bob\r\n").get(0));
        assertReply("502 5.5.1", mx.send("EXPN list\r\n").get(0));
        assertReply("214", mx.send("HELP\r\n").get(0));
        assertReply("500 5.5.2", mx.send("FROB\r\n").get(0));
        assertReply("250 mx.example.test", mx.send("HELO client.example\r\n").get(0));
        assertReply("555 5.5.4", mx.send("MAIL FROM:<a@example.org> SIZE=10\r\n").get(0));
        assertReply("221 2.0.0", mx.send("QUIT\r\n").get(0));
        assertFalse(mx.channel.isOpen());
    }

    @Test
    void pipelinedCommands_getTheirRepliesInOrder_inOneFlush() {
        mx.replies();
        mx.flushes = 0;
        List<String> replies = mx.finalLines("EHLO client.example\r\nMAIL FROM:<alice@example.org>\r\n"
                + "RCPT TO:<bob@example.test>\r\nRCPT TO:<carol@example.test>\r\nDATA\r\n");
        assertEquals(5, replies.size(), replies.toString());
        assertReply("250 CHUNKING", replies.get(0));
        assertReply("250 2.1.0", replies.get(1));
        assertReply("250 2.1.5", replies.get(2));
        assertReply("250 2.1.5", replies.get(3));
        assertReply("354", replies.get(4));
        assertEquals(1, mx.flushes);
    }

    @Test
    void message_isQueuedWithEnvelope_receivedHeader_andDotsUnstuffed() {
        mx.openTransaction();
        assertReply("354", mx.send("DATA\r\n").get(0));
        List<String> reply = mx.send("Subject: hi\r\n\r\n..leading dot\r\nbody\r\n.\r\n");
        assertEquals(List.of("250 2.0.0 Ok: queued as 00000000000000AB"), reply);
        RecordingSink.Message message = mx.sink.committed.get(0);
        assertEquals("alice@example.org", message.envelope().sender());
        assertEquals("bob@example.test", message.envelope().recipients().get(0).address());
        assertEquals("ESMTP", message.envelope().client().protocol());
        assertTrue(message.content().startsWith("Received: from client.example ([192.0.2.1])\r\n\tby mx.example.test "
                + "(Sealpost) with ESMTP id 00000000000000AB\r\n\tfor <bob@example.test>; "), message.content());
        // RFC 5322 3.3: the date with a numeric zone, never the obsolete "GMT"
        assertTrue(message.content().matches("(?s)Received: [^;]*; [A-Z][a-z]{2}, \\d{1,2} [A-Z][a-z]{2} \\d{4} "
                + "\\d{2}:\\d{2}:\\d{2} [+-]\\d{4}\r\nSubject: hi.*"), message.content());
        assertTrue(message.content().endsWith("Subject: hi\r\n\r\n.leading dot\r\nbody\r\n"), message.content());
    }

    @Test
    void replyTo250_waitsUntilTheQueueHasCommitted() {
        mx.sink.holdCommits = true;
        mx.openTransaction();
        mx.send("DATA\r\n");
        assertEquals(List.of(), mx.send("Subject: x\r\n\r\nx\r\n.\r\nNOOP\r\n"), "replied before the commit");
        mx.sink.held.get(0).complete("00000000000000AB");
        mx.channel.runPendingTasks();
        assertEquals(List.of("250 2.0.0 Ok: queued as 00000000000000AB", "250 2.0.0 Ok"), mx.replies());
    }

    @Test
    void failedCommit_is451_andNothingIsAcknowledged() {
        mx.sink.failCommits = true;
        mx.openTransaction();
        mx.send("DATA\r\n");
        assertReply("451 4.3.0", mx.send("x\r\n.\r\n").get(0));
        assertTrue(mx.sink.committed.isEmpty());
    }

    @Test
    void queueThatCannotTakeTheMessage_is451AtData() {
        mx.sink.failReceive = true;
        mx.openTransaction();
        assertReply("451 4.3.0", mx.send("DATA\r\n").get(0));
    }

    /** SMTP smuggling: only CRLF.CRLF ends DATA; a message with bare CR or LF is refused whole. */
    @ParameterizedTest
    @ValueSource(strings = {"\n.\n", "\r.\r", "\n.\r\n", "\r\n.\n", "\r.\r\n", "\n.\r"})
    void fakeEndOfData_neitherEndsTheMessageNorRunsTheSmuggledCommands(String fakeEnd) {
        mx.openTransaction();
        mx.send("DATA\r\n");
        List<String> replies = mx.send("Subject: real\r\n\r\nhello" + fakeEnd
                + "MAIL FROM:<evil@example.org>\r\nRCPT TO:<victim@example.test>\r\nDATA\r\nSubject: smuggled\r\n\r\n.\r\n");
        assertEquals(1, replies.size(), replies.toString());
        assertReply("550 5.5.2 Error: bare <CR> or <LF>", replies.get(0));
        assertTrue(mx.sink.committed.isEmpty());
        assertReply("503 5.5.1", mx.send("RCPT TO:<bob@example.test>\r\n").get(0));
    }

    @Test
    void dotWithoutCrlf_isAStuffedLine_notTheEnd() {
        mx.openTransaction();
        mx.send("DATA\r\n");
        List<String> replies = mx.send("Subject: x\r\n\r\nhello\r\n.MAIL FROM:<evil@example.org>\r\n.\r\n");
        assertEquals(List.of("250 2.0.0 Ok: queued as 00000000000000AB"), replies);
        assertTrue(mx.sink.committed.get(0).content().endsWith("hello\r\nMAIL FROM:<evil@example.org>\r\n"));
    }

    @Test
    void overlongCommandLine_is500_andTheSessionGoesOn() {
        mx.replies();
        assertReply("500 5.5.2 Error: line too long", mx.send("NOOP " + "x".repeat(600) + "\r\n").get(0));
        assertReply("250 2.0.0", mx.send("NOOP\r\n").get(0));
    }

    @Test
    void overlongTextLine_rejectsTheMessage() {
        mx.openTransaction();
        mx.send("DATA\r\n");
        assertReply("554 5.6.0", mx.send("Subject: x\r\n\r\n" + "y".repeat(1200) + "\r\n.\r\n").get(0));
        assertTrue(mx.sink.committed.isEmpty());
    }

    @Test
    void declaredSizeOverLimit_is552AtMail() {
        mx.replies();
        mx.send("EHLO client.example\r\n");
        assertReply("552 5.3.4", mx.send("MAIL FROM:<a@example.org> SIZE=20000\r\n").get(0));
    }

    @Test
    void contentOverLimit_is552_andAborted() {
        mx.openTransaction();
        mx.send("DATA\r\n");
        String line = "z".repeat(900) + "\r\n";
        assertReply("552 5.3.4", mx.send("Subject: big\r\n\r\n" + line.repeat(15) + ".\r\n").get(0));
        assertTrue(mx.sink.committed.isEmpty());
        assertTrue(mx.sink.aborted > 0);
    }

    @Test
    void tooManyRecipients_is452() {
        mx.openTransaction();
        List<String> replies = mx.send("RCPT TO:<c@example.test>\r\nRCPT TO:<d@example.test>\r\nRCPT TO:<e@example.test>\r\n");
        assertEquals(List.of("250 2.1.5 Ok", "250 2.1.5 Ok", "452 4.5.3 Error: too many recipients"), replies);
    }

    @Test
    void mxListener_refusesRelaying_butTakesLocalDomainsAndPostmaster() {
        mx.replies();
        mx.send("EHLO client.example\r\nMAIL FROM:<a@example.org>\r\n");
        assertEquals("554 5.7.1 <victim@elsewhere.example>: Relay access denied",
                mx.send("RCPT TO:<victim@elsewhere.example>\r\n").get(0));
        assertReply("554 5.5.1 Error: no valid recipients", mx.send("DATA\r\n").get(0));
        assertReply("250 2.1.5", mx.send("RCPT TO:<Bob@EXAMPLE.test>\r\n").get(0));
        assertReply("250 2.1.5", mx.send("RCPT TO:<Postmaster>\r\n").get(0));
    }

    @Test
    void submissionFromUntrustedAddress_needsAuthentication() {
        SessionHarness submission = new SessionHarness(SessionHarness.submission("127.0.0.0/8", null));
        submission.replies();
        submission.send("EHLO client.example\r\n");
        assertReply("530 5.7.0", submission.send("MAIL FROM:<a@example.org>\r\n").get(0));
    }

    @Test
    void submissionFromTrustedAddress_relaysAnywhere() {
        SessionHarness submission = new SessionHarness(SessionHarness.submission("192.0.2.0/24", null));
        submission.replies();
        List<String> replies = submission.finalLines("EHLO c\r\nMAIL FROM:<a@example.org>\r\nRCPT TO:<x@anywhere.example>\r\n");
        assertReply("250 2.1.5", replies.get(2));
    }

    @Test
    void authOutsideTls_isRefusedWith538() {
        SessionHarness submission = new SessionHarness(SessionHarness.submission("127.0.0.0/8", (u, p) -> true));
        submission.replies();
        List<String> ehlo = submission.send("EHLO client.example\r\n");
        assertFalse(ehlo.stream().anyMatch(l -> l.contains("AUTH")), "AUTH offered in plaintext: " + ehlo);
        assertReply("538 5.7.11", submission.send("AUTH PLAIN AGFsaWNlAHNlY3JldA==\r\n").get(0));
    }

    @Test
    void bdatChunks_makeOneMessage() {
        mx.openTransaction();
        assertEquals(List.of("250 2.0.0 18 octets received"), mx.send("BDAT 18\r\nSubject: chunk\r\n\r\n"));
        assertEquals(List.of("250 2.0.0 Ok: queued as 00000000000000AB"), mx.send("BDAT 7 LAST\r\nbody.\r\n"));
        assertTrue(mx.sink.committed.get(0).content().endsWith("Subject: chunk\r\n\r\nbody.\r\n"));
    }

    @Test
    void refusedBdat_stillConsumesItsOctets() {
        mx.replies();
        mx.send("EHLO client.example\r\n");
        assertReply("503 5.5.1", mx.send("BDAT 12 LAST\r\nNOOP\r\nNOOP\r\n").get(0));
        assertEquals(List.of("250 2.0.0 Ok"), mx.send("NOOP\r\n"));
    }

    @Test
    void tooManyHops_isRefused() {
        mx.openTransaction();
        mx.send("DATA\r\n");
        assertReply("554 5.4.6", mx.send("Received: from a\r\n".repeat(50) + "Subject: loop\r\n\r\nx\r\n.\r\n").get(0));
    }

    @Test
    void nonAsciiAddressWithoutSmtputf8_isRefused() {
        mx.replies();
        mx.send("EHLO client.example\r\n");
        assertReply("553 5.6.7", mx.send("MAIL FROM:<jörg@example.org>\r\n").get(0));
        assertReply("250 2.1.0", mx.send("MAIL FROM:<jörg@example.org> SMTPUTF8\r\n").get(0));
    }

    @Test
    void dsnParameters_areKeptWithTheEnvelope() {
        mx.replies();
        mx.finalLines("EHLO c\r\nMAIL FROM:<a@example.org> RET=HDRS ENVID=QQ314159 BODY=8BITMIME\r\n"
                + "RCPT TO:<b@example.test> NOTIFY=SUCCESS,FAILURE ORCPT=rfc822;b@example.test\r\nDATA\r\nx\r\n.\r\n");
        var envelope = mx.sink.committed.get(0).envelope();
        assertEquals("HDRS", envelope.ret());
        assertEquals("QQ314159", envelope.envid());
        assertEquals(org.sealpost.transport.queue.BodyType.EIGHT_BIT_MIME, envelope.body());
        assertEquals("rfc822;b@example.test", envelope.recipients().get(0).orcpt());
        assertEquals(2, envelope.recipients().get(0).notifyOn().size());
    }

    @Test
    void twentyErrors_endTheSession() {
        mx.replies();
        List<String> replies = mx.send("FROB\r\n".repeat(25));
        assertReply("421 4.7.0", replies.get(replies.size() - 1));
        assertEquals(20, replies.size());
    }

    @Test
    void idleClient_getsA421_andIsDisconnected() throws Exception {
        // The idle timer reads the real clock, so this test uses a short timeout instead of virtual time.
        ListenerSettings quick = SessionHarness.mx();
        quick = new ListenerSettings(quick.name(), quick.role(), quick.address(), quick.hostname(), quick.trustedNetworks(),
                quick.localDomains(), null, null, new SessionLimits(512, 1000, 10_000, 3,
                        java.time.Duration.ofMillis(100), java.time.Duration.ofHours(1), 10));
        SessionHarness idle = new SessionHarness(quick);
        idle.replies();
        idle.send("EHLO client.example\r\n");
        for (int i = 0; i < 100 && idle.channel.isOpen(); i++) {
            Thread.sleep(20);
            idle.channel.runScheduledPendingTasks();
            idle.channel.runPendingTasks();
        }
        assertEquals(List.of("421 4.4.2 mx.example.test Error: timeout exceeded"), idle.replies());
        assertFalse(idle.channel.isOpen());
    }

    @Test
    void sessionLongerThanItsLimit_isEnded_evenWhenBusy() {
        mx.replies();
        mx.channel.freezeTime();
        for (int minute = 0; minute < 61 && mx.channel.isOpen(); minute++) {
            mx.send("NOOP\r\n");
            mx.channel.advanceTimeBy(1, java.util.concurrent.TimeUnit.MINUTES);
            mx.channel.runScheduledPendingTasks();
        }
        mx.channel.runPendingTasks();
        List<String> replies = mx.replies();
        assertEquals("421 4.4.2 mx.example.test Error: timeout exceeded", replies.get(replies.size() - 1));
        assertFalse(mx.channel.isOpen());
    }
    /**
     * The Postfix behind an mx listener re-routes these local parts (allow_percent_hack, swap_bangpath,
     * a quoted @), and Sealpost is in its mynetworks: refused as Postfix's own MX refuses them.
     */
    @ParameterizedTest
    @ValueSource(strings = {"u%other.test@example.test", "u%a%other.test@example.test", "other.test!u@example.test",
        "\"u@other.test\"@example.test", "\"u%other.test\"@example.test", "\"other.test!u\"@EXAMPLE.test",
        "\"u@other.test\"", "u@other.test", "u@[192.0.2.7]", "u%other.test@[127.0.0.1]"})
    void mxListener_refusesRecipientsThatRouteElsewhere(String address) {
        mx.replies();
        mx.send("EHLO client.example\r\nMAIL FROM:<a@example.org>\r\n");
        assertEquals("554 5.7.1 <" + address + ">: Relay access denied", mx.send("RCPT TO:<" + address + ">\r\n").get(0));
        assertReply("554 5.5.1 Error: no valid recipients", mx.send("DATA\r\n").get(0));
    }

    /** RFC 5321 4.1.1.3: the route is ignored, and what remains is judged on its own, never passed on with the route. */
    @Test
    void sourceRoute_isIgnored_andTheRemainingAddressIsJudged() {
        mx.replies();
        mx.send("EHLO client.example\r\nMAIL FROM:<@relay.example:a@example.org>\r\n");
        assertEquals("554 5.7.1 <u@other.test>: Relay access denied",
                mx.send("RCPT TO:<@example.test,@mx.example.test:u@other.test>\r\n").get(0));
        assertReply("250 2.1.5", mx.send("RCPT TO:<@other.test:bob@example.test>\r\n").get(0));
        mx.send("DATA\r\nx\r\n.\r\n");
        assertEquals("bob@example.test", mx.sink.committed.get(0).envelope().recipients().get(0).address());
        assertEquals("a@example.org", mx.sink.committed.get(0).envelope().sender());
    }

    /** Not a mailbox at all: refused at RCPT, never accepted and bounced later to an unverified sender. */
    @ParameterizedTest
    @ValueSource(strings = {"u@other.test@example.test", "u\\@other.test@example.test", "u@example.test.", "u..v@example.test",
        ".u@example.test", "\"u@example.test", "u@-example.test", "u@exa_mple.test", "@example.test", "u@", "u v@example.test",
        "@example.test:", "\"a\u0001\"@example.test", "u@example..test"})
    void malformedRecipient_isBadSyntax(String address) {
        mx.replies();
        mx.send("EHLO client.example\r\nMAIL FROM:<a@example.org>\r\n");
        assertReply("501 5.1.3", mx.send("RCPT TO:<" + address + ">\r\n").get(0));
    }

    @Test
    void barePostmaster_goesToTheFirstLocalDomain() {
        for (int i = 0; i < 20; i++) {
            java.util.Set<String> domains = new java.util.LinkedHashSet<>(List.of("d" + i + ".test", "example.test", "z.test"));
            SessionHarness session = new SessionHarness(new ListenerSettings("mx", ListenerRole.MX,
                    new java.net.InetSocketAddress("127.0.0.1", 0), "mx.example.test", List.of(), domains, null, null,
                    SessionHarness.LIMITS));
            session.replies();
            session.finalLines("EHLO c\r\nMAIL FROM:<a@example.org>\r\nRCPT TO:<postmaster>\r\nDATA\r\nx\r\n.\r\n");
            assertEquals("postmaster@d" + i + ".test", session.sink.committed.get(0).envelope().recipients().get(0).address());
        }
    }

    /** Senders with empty atoms exist; refusing their mail would protect nothing. */
    @Test
    void senderWithDoubledDots_isAccepted_butNotASenderWithTwoAtSigns() {
        mx.replies();
        mx.send("EHLO client.example\r\n");
        assertReply("501 5.1.7", mx.send("MAIL FROM:<a@b@example.org>\r\n").get(0));
        assertReply("501 5.1.7", mx.send("MAIL FROM:<postmaster>\r\n").get(0));
        assertReply("250 2.1.0", mx.send("MAIL FROM:<a..b.@example.org>\r\n").get(0));
    }

    @Test
    void legitimateRecipientForms_areAccepted_andQueuedAsWritten() {
        mx.replies();
        List<String> replies = mx.finalLines("EHLO client.example\r\nMAIL FROM:<\"a b\"@example.org>\r\n"
                + "RCPT TO:<\"john doe\"@example.test>\r\nRCPT TO:<U@EXAMPLE.TEST>\r\nRCPT TO:<postmaster>\r\n"
                + "RSET\r\nMAIL FROM:<a@example.org>\r\n"
                + "RCPT TO:<Postmaster@example.test>\r\nRCPT TO:<u+tag@example.test>\r\nRCPT TO:<\"a\\\"q>\"@example.test>\r\n");
        assertEquals(List.of("250 2.1.0 Ok", "250 2.1.5 Ok", "250 2.1.5 Ok", "250 2.1.5 Ok", "250 2.0.0 Ok", "250 2.1.0 Ok",
                "250 2.1.5 Ok", "250 2.1.5 Ok", "250 2.1.5 Ok"), replies.subList(1, replies.size()));
    }

    @Test
    void quotedLocalPart_isQueuedQuoted() {
        mx.replies();
        mx.finalLines("EHLO client.example\r\nMAIL FROM:<\"a b\"@example.org>\r\nRCPT TO:<\"john doe\"@example.test>\r\n"
                + "DATA\r\nx\r\n.\r\n");
        RecordingSink.Message message = mx.sink.committed.get(0);
        assertEquals("\"a b\"@example.org", message.envelope().sender());
        assertEquals("\"john doe\"@example.test", message.envelope().recipients().get(0).address());
        assertTrue(message.content().contains("\tfor <\"john doe\"@example.test>; "), message.content());
    }

    /** A submission listener relays for trusted clients anyway: routing forms pass, bad syntax does not. */
    @Test
    void submissionListener_relaysRoutingForms_butRefusesBadSyntax() {
        SessionHarness submission = new SessionHarness(SessionHarness.submission("192.0.2.0/24", null));
        submission.replies();
        List<String> replies = submission.finalLines("EHLO c\r\nMAIL FROM:<a@example.org>\r\n"
                + "RCPT TO:<u%other.test@example.net>\r\nRCPT TO:<\"u@x\"@example.net>\r\nRCPT TO:<u@other.test@example.net>\r\n");
        assertReply("250 2.1.5", replies.get(2));
        assertReply("250 2.1.5", replies.get(3));
        assertReply("501 5.1.3", replies.get(4));
    }

    /** RFC 3461 4: ORCPT and ENVID are xtext, passed on to the next hop; no control octet gets through. */
    @Test
    void dsnParametersWithControlOctets_areRefused() {
        mx.replies();
        mx.send("EHLO c\r\n");
        assertReply("555 5.5.4", mx.send("MAIL FROM:<a@example.org> ENVID=a\u0001b\r\n").get(0));
        assertReply("250 2.1.0", mx.send("MAIL FROM:<a@example.org> ENVID=a+2Bb\r\n").get(0));
        assertReply("501 5.5.4", mx.send("RCPT TO:<b@example.test> ORCPT=rfc822;b\u001b@example.test\r\n").get(0));
        assertReply("250 2.1.5", mx.send("RCPT TO:<b@example.test> ORCPT=rfc822;b@example.test\r\n").get(0));
    }

    /** RFC 5321 2.3.8, RFC 6152: no NUL in SMTP content, and Sealpost offers no BINARYMIME. */
    @Test
    void nulInDataContent_isRefused() {
        mx.openTransaction();
        mx.send("DATA\r\n");
        assertEquals(List.of("554 5.6.0 Error: message content contains a NUL octet"),
                mx.send("Subject: x\r\n\r\nbefore\0after\r\n.\r\n"));
        assertTrue(mx.sink.committed.isEmpty());
    }

    @Test
    void nulInBdatContent_isRefused() {
        mx.openTransaction();
        assertEquals(List.of("554 5.6.0 Error: message content contains a NUL octet"), mx.send("BDAT 5 LAST\r\na\0b\r\n"));
        assertTrue(mx.sink.committed.isEmpty());
    }

    /** As Postfix with smtputf8_enable: a malformed sequence must not silently become U+FFFD. */
    @Test
    void invalidUtf8InACommand_isRefusedWith500() {
        mx.replies();
        mx.send("EHLO client.example\r\n");
        byte[] mail = "MAIL FROM:<j\u00f6rg@example.org> SMTPUTF8\r\n".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        assertEquals(List.of("500 5.5.2 Error: bad UTF-8 syntax"), mx.sendBytes(mail));
        assertReply("250 2.1.0", mx.send("MAIL FROM:<j\u00f6rg@example.org> SMTPUTF8\r\n").get(0));
        byte[] rcpt = "RCPT TO:<bob\u00e9@example.test>\r\n".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        assertEquals(List.of("500 5.5.2 Error: bad UTF-8 syntax"), mx.sendBytes(rcpt));
        byte[] overlong = {'R', 'C', 'P', 'T', ' ', 'T', 'O', ':', '<', 'b', (byte) 0xc0, (byte) 0xaf, '@', 'e', 'x', 'a', 'm',
            'p', 'l', 'e', '.', 't', 'e', 's', 't', '>', '\r', '\n'};
        assertEquals(List.of("500 5.5.2 Error: bad UTF-8 syntax"), mx.sendBytes(overlong));
        assertReply("250 2.1.5", mx.send("RCPT TO:<b\u00e9b@example.test>\r\n").get(0));
        mx.send("DATA\r\nx\r\n.\r\n");
        assertEquals(List.of("b\u00e9b@example.test"), mx.sink.committed.get(0).envelope().recipients().stream()
                .map(r -> r.address()).toList());
    }

    /** As Postfix: each 8-bit or control octet of the HELO name is written as '?' in the trace field. */
    @Test
    void heloNameWith8bitAndControlOctets_isWrittenWithQuestionMarks() {
        mx.replies();
        mx.send("EHLO h\u00e9\u0001l(o)\u001b[31m x\r\nMAIL FROM:<a@example.org>\r\nRCPT TO:<b@example.test>\r\nDATA\r\nx\r\n.\r\n");
        String content = mx.sink.committed.get(0).content();
        assertTrue(content.startsWith("Received: from h???l?o??[31m?x ([192.0.2.1])\r\n\tby mx.example.test "), content);
    }

    /** Postfix's smtpd_recipient_overshoot_limit: 452s over the limit are no errors, so the DATA still goes through. */
    @Test
    void twoThousandPipelinedRecipients_give1000Accepted_then452s_andTheMessageIsQueued() {
        ListenerSettings base = SessionHarness.mx();
        SessionLimits limits = new SessionLimits(65536, 1000, 10_000, 1000, java.time.Duration.ofMinutes(5),
                java.time.Duration.ofHours(1), 10);
        SessionHarness session = new SessionHarness(new ListenerSettings(base.name(), base.role(), base.address(),
                base.hostname(), base.trustedNetworks(), base.localDomains(), null, null, limits));
        session.replies();
        StringBuilder batch = new StringBuilder("EHLO client.example\r\nMAIL FROM:<a@example.org>\r\n");
        for (int i = 0; i < 2000; i++) {
            batch.append("RCPT TO:<u").append(i).append("@example.test>\r\n");
        }
        List<String> replies = session.finalLines(batch + "DATA\r\n");
        assertEquals(2003, replies.size());
        assertTrue(replies.subList(2, 1002).stream().allMatch(r -> r.equals("250 2.1.5 Ok")), replies.toString());
        assertTrue(replies.subList(1002, 2002).stream().allMatch(r -> r.equals("452 4.5.3 Error: too many recipients")));
        assertReply("354", replies.get(2002));
        assertReply("250 2.0.0", session.send("Subject: x\r\n\r\nx\r\n.\r\n").get(0));
        assertEquals(1000, session.sink.committed.get(0).envelope().recipients().size());
    }

    @Test
    void recipientsBeyondTheOvershootLimit_countAsErrors() {
        ListenerSettings base = SessionHarness.mx();
        SessionLimits limits = new SessionLimits(512, 1000, 10_000, 3, java.time.Duration.ofMinutes(5),
                java.time.Duration.ofHours(1), 10, 2);
        SessionHarness session = new SessionHarness(new ListenerSettings(base.name(), base.role(), base.address(),
                base.hostname(), base.trustedNetworks(), base.localDomains(), null, null, limits));
        session.replies();
        List<String> replies = session.finalLines("EHLO c\r\nMAIL FROM:<a@example.org>\r\n"
                + "RCPT TO:<u@example.test>\r\n".repeat(25));
        // 3 accepted, 2 excess uncounted, then the 20th counted error ends the session.
        assertEquals(2 + 3 + 2 + 20, replies.size(), replies.toString());
        assertReply("421 4.7.0", replies.get(replies.size() - 1));
    }
}
