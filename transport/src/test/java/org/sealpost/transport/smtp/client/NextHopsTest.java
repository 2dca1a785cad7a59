package org.sealpost.transport.smtp.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.sealpost.dnssec.DnsAnswer;
import org.sealpost.dnssec.MxRecord;
import org.sealpost.dnssec.Outcome;
import org.sealpost.dnssec.Security;
import org.sealpost.transport.queue.DeliveryStatus;

class NextHopsTest {

    private final FakeDns dns = new FakeDns();

    private NextHops.Resolution resolve(Map<String, Route> routes, String domain) {
        return new NextHops(routes, dns, new Random()).resolve(domain).join();
    }

    private static List<String> hosts(NextHops.Resolution resolution) {
        return resolution.targets().stream().map(t -> t.host() + "/" + t.address().getHostAddress()).toList();
    }

    @Test
    void mxHosts_areTriedByPreference_withEachHostsAddresses() throws Exception {
        dns.mx("example.net", new MxRecord(20, "backup.example.net"), new MxRecord(10, "mx.example.net"))
                .host("mx.example.net", "192.0.2.1", "2001:db8::1").host("backup.example.net", "192.0.2.2");
        assertEquals(List.of("mx.example.net/192.0.2.1", "mx.example.net/2001:db8:0:0:0:0:0:1", "backup.example.net/192.0.2.2"),
                hosts(resolve(Map.of(), "example.net")));
    }

    @Test
    void equalPreferences_comeInRandomOrder() {
        NextHops hops = new NextHops(Map.of(), dns, new Random(7));
        Set<List<String>> orders = new HashSet<>();
        for (int i = 0; i < 50; i++) {
            orders.add(hops.order(List.of(new MxRecord(10, "a.example"), new MxRecord(10, "b.example"),
                    new MxRecord(5, "first.example"))));
        }
        assertEquals(Set.of(List.of("first.example", "a.example", "b.example"),
                List.of("first.example", "b.example", "a.example")), orders);
    }

    @Test
    void noMx_fallsBackToTheDomainsAddresses() throws Exception {
        dns.host("plain.example", "192.0.2.9");
        assertEquals(List.of("plain.example/192.0.2.9"), hosts(resolve(Map.of(), "plain.example")));
    }

    @Test
    void nullMx_bouncesAtOnce() {
        dns.mx("nomail.example", new MxRecord(0, ""));
        NextHops.Resolution resolution = resolve(Map.of(), "nomail.example");
        assertEquals(DeliveryStatus.BOUNCED, resolution.failure());
        assertEquals("5.1.10", resolution.enhancedCode());
    }

    @Test
    void unknownDomain_bounces_butDnsTrouble_defers() {
        NextHops.Resolution missing = resolve(Map.of(), "nowhere.example");
        assertEquals(DeliveryStatus.BOUNCED, missing.failure());
        assertEquals("5.1.2", missing.enhancedCode());
        dns.mx.put("flaky.example", DnsAnswer.failed(Outcome.SERVFAIL, Security.INSECURE, "SERVFAIL"));
        NextHops.Resolution flaky = resolve(Map.of(), "flaky.example");
        assertEquals(DeliveryStatus.DEFERRED, flaky.failure());
        assertEquals("4.4.3", flaky.enhancedCode());
    }

    @Test
    void bracketedRoute_skipsMx_andRelayhostCoversOtherDomains() {
        Map<String, Route> routes = Map.of("local.example", Route.parse("[127.0.0.1]:10026"),
                "*", Route.parse("[127.0.0.2]:2526"));
        NextHops.Resolution local = resolve(routes, "local.example");
        assertEquals(List.of("127.0.0.1/127.0.0.1"), hosts(local));
        assertEquals(10026, local.targets().get(0).port());
        assertEquals(2526, resolve(routes, "anything.example").targets().get(0).port());
        assertEquals(0, dns.mxLookups);
        assertNull(local.failure());
    }

    @Test
    void unbracketedRoute_looksUpTheMxOfTheRouteHost() throws Exception {
        dns.mx("smarthost.example", new MxRecord(10, "relay.smarthost.example")).host("relay.smarthost.example", "192.0.2.5");
        NextHops.Resolution resolution = resolve(Map.of("*", Route.parse("smarthost.example:587")), "example.org");
        assertEquals(List.of("relay.smarthost.example/192.0.2.5"), hosts(resolution));
        assertEquals(587, resolution.targets().get(0).port());
        assertTrue(dns.mxLookups > 0);
    }
}
