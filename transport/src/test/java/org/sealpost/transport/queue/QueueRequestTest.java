package org.sealpost.transport.queue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class QueueRequestTest {

    @Test
    void everyRequest_survivesItsLine() {
        for (QueueRequest request : List.of(QueueRequest.list(true, true, true), QueueRequest.list(false, false, false),
                QueueRequest.of(QueueRequest.Verb.SHOW, List.of("000660DCB9AD6F0D")),
                QueueRequest.of(QueueRequest.Verb.FLUSH, List.of()), QueueRequest.flushDomain("Example.NET"),
                QueueRequest.delete(List.of("000660DCB9AD6F0D", "000660DCB9AD6F0E"), true),
                QueueRequest.of(QueueRequest.Verb.HOLD, List.of("000660DCB9AD6F0D")),
                QueueRequest.of(QueueRequest.Verb.RELEASE, List.of("000660DCB9AD6F0D")), QueueRequest.tlsrptFlush())) {
            assertEquals(request, QueueRequest.parse(request.line()));
        }
        assertEquals("flush domain example.net", QueueRequest.flushDomain("Example.NET").line());
        assertEquals("tlsrpt", QueueRequest.tlsrptFlush().line());
    }

    @Test
    void wrongWords_giveTheUsage() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> QueueRequest.parse("show")).getMessage()
                .contains("usage: show ID"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> QueueRequest.parse("hold")).getMessage()
                .contains("usage: hold ID..."));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> QueueRequest.parse("frobnicate"))
                .getMessage().contains("unknown queue command 'frobnicate'"));
        assertThrows(IllegalArgumentException.class, () -> QueueRequest.parse("flush domain"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> QueueRequest.of(QueueRequest.Verb.HOLD,
                List.of("json")).check()).getMessage().contains("'json' is not a queue id"));
        assertEquals(List.of("000660DCB9AD6F0D"), QueueRequest.of(QueueRequest.Verb.HOLD, List.of("000660dcb9ad6f0d")).ids());
    }
}
