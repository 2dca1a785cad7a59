package org.sealpost.transport.smtp.client;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.sealpost.transport.queue.BodyType;
import org.sealpost.transport.queue.Envelope;
import org.sealpost.transport.queue.QueuedMessage;
import org.sealpost.transport.queue.Recipient;

/** A queued message held in memory. */
record TestMessage(String queueId, Envelope envelope, byte[] content) implements QueuedMessage {

    static TestMessage of(String content, BodyType body, boolean smtputf8, String... recipients) {
        Envelope envelope = new Envelope("alice@src.example", List.of(recipients).stream().map(Recipient::of).toList(),
                body, smtputf8, "", "", new Envelope.ClientInfo("127.0.0.1", "c", "ESMTP", "", "", "submission"),
                Instant.now());
        return new TestMessage("0000000000000001", envelope, content.getBytes(StandardCharsets.UTF_8));
    }

    /** A message whose MAIL FROM carried REQUIRETLS (RFC 8689). */
    static TestMessage requiringTls(String content, String... recipients) {
        TestMessage plain = of(content, BodyType.SEVEN_BIT, false, recipients);
        Envelope e = plain.envelope();
        return new TestMessage(plain.queueId(), new Envelope(e.sender(), e.recipients(), e.body(), e.smtputf8(), e.ret(),
                e.envid(), e.client(), e.arrival(), true), plain.content());
    }

    @Override
    public long size() {
        return content.length;
    }

    @Override
    public InputStream openContent() {
        return new ByteArrayInputStream(content);
    }
}
