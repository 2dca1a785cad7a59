package org.sealpost.transport.relay;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.sealpost.transport.smtp.client.Route;

/** Where a domain's MTA-STS policy applies: only to mail that goes to the domain's own MX hosts. */
class OutboundPoliciesTest {

    @Test
    void mtaSts_appliesByMx_butNotThroughARelayhostOrARouteToAnotherHost() {
        assertTrue(OutboundPolicies.byMx(Map.of(), "example.com"));
        // Only the port differs, as the interop tests route to their lab's smtpd.
        assertTrue(OutboundPolicies.byMx(Map.of("example.com", Route.parse("example.com:2525")), "Example.com"));
        assertFalse(OutboundPolicies.byMx(Map.of("*", Route.parse("[smarthost.example.net]:587")), "example.com"));
        assertFalse(OutboundPolicies.byMx(Map.of("example.com", Route.parse("[192.0.2.7]")), "example.com"));
        assertFalse(OutboundPolicies.byMx(Map.of("example.com", Route.parse("mail.example.org")), "example.com"));
        assertTrue(OutboundPolicies.byMx(Map.of("other.example", Route.parse("[192.0.2.7]")), "example.com"));
    }
}
