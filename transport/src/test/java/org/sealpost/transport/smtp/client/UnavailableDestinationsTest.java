package org.sealpost.transport.smtp.client;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class UnavailableDestinationsTest {

    @Test
    void clear_letsTheNextAttemptsConnect_beforeThePeriodEnds() {
        UnavailableDestinations unavailable = new UnavailableDestinations(Duration.ofMinutes(1),
                Clock.fixed(Instant.parse("2026-12-01T10:00:00Z"), ZoneOffset.UTC));
        unavailable.finished(unavailable.ticket("[127.0.0.1]:2525"), UnavailableDestinations.Result.UNREACHABLE, "4.4.1",
                "connect to 127.0.0.1[127.0.0.1]:2525: Connection refused");
        assertNotNull(unavailable.suspended(unavailable.ticket("[127.0.0.1]:2525")), "not marked");
        unavailable.clear();
        assertNull(unavailable.suspended(unavailable.ticket("[127.0.0.1]:2525")));
        assertNull(unavailable.suspended(unavailable.ticket("[127.0.0.1]:2525")), "only one attempt let through");
    }
}
