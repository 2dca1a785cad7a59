package org.sealpost.signing.dmarc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.sealpost.dnssec.Outcome;
import org.sealpost.signing.dmarc.PolicyDiscovery.Discovery;

/** Policy discovery by the DNS tree walk of RFC 9989 4.10 over an in-memory zone. */
class PolicyDiscoveryTest {

    private static Discovery discover(FakeZone zone, String domain) {
        return new PolicyDiscovery(zone).discover(domain).join();
    }

    @Test
    void authorDomainsOwnRecord_applies_andTheWalkGoesOnForTheOrganizationalDomain() {
        FakeZone zone = new FakeZone().dmarc("example.com", "v=DMARC1; p=reject");
        Discovery d = discover(zone, "Example.COM.");
        assertEquals("example.com", d.policyDomain());
        assertEquals("example.com", d.organizationalDomain());
        assertEquals(List.of("_dmarc.example.com", "_dmarc.com"), d.walk());
        assertEquals("v=DMARC1; p=reject", d.record().orElseThrow().text());
    }

    @Test
    void subdomain_findsTheOrganizationalDomainsRecordSeveralLabelsUp() {
        FakeZone zone = new FakeZone().dmarc("example.com", "v=DMARC1; p=quarantine; sp=reject");
        Discovery d = discover(zone, "a.b.c.example.com");
        assertEquals("example.com", d.policyDomain());
        assertEquals("example.com", d.organizationalDomain());
        assertEquals(List.of("_dmarc.a.b.c.example.com", "_dmarc.b.c.example.com", "_dmarc.c.example.com",
                "_dmarc.example.com", "_dmarc.com"), d.walk());
    }

    @Test
    void longName_skipsToItsLastSevenLabels_andAsksAtMostEightTimes() {
        FakeZone zone = new FakeZone();
        Discovery d = discover(zone, "a.b.c.d.e.f.g.h.i.j.mail.example.com");
        // RFC 9989 4.10's own example.
        assertEquals(List.of("_dmarc.a.b.c.d.e.f.g.h.i.j.mail.example.com", "_dmarc.g.h.i.j.mail.example.com",
                "_dmarc.h.i.j.mail.example.com", "_dmarc.i.j.mail.example.com", "_dmarc.j.mail.example.com",
                "_dmarc.mail.example.com", "_dmarc.example.com", "_dmarc.com"), d.walk());
        assertTrue(d.record().isEmpty());
        assertEquals("", d.policyDomain());
        assertEquals("a.b.c.d.e.f.g.h.i.j.mail.example.com", d.organizationalDomain());
    }

    @Test
    void eightLabels_areWalkedOneByOne() {
        Discovery d = discover(new FakeZone(), "a.b.c.d.e.f.example.com");
        assertEquals(8, d.walk().size());
        assertEquals("_dmarc.b.c.d.e.f.example.com", d.walk().get(1));
    }

    @Test
    void noRecord_anywhere_appliesNothing() {
        Discovery d = discover(new FakeZone().host("mail.example.org"), "mail.example.org");
        assertTrue(d.record().isEmpty());
        assertFalse(d.failed());
        assertEquals(List.of("_dmarc.mail.example.org", "_dmarc.example.org", "_dmarc.org"), d.walk());
    }

    @Test
    void psdY_makesTheDomainOneLabelBelowItTheOrganizationalDomain_andItsRecordApplies() {
        FakeZone zone = new FakeZone().dmarc("gov.example", "v=DMARC1; p=reject; psd=y");
        Discovery d = discover(zone, "mail.agency.gov.example");
        assertEquals("agency.gov.example", d.organizationalDomain());
        assertEquals("gov.example", d.policyDomain());
        // The walk stops at the psd=y record: _dmarc.example is never asked.
        assertEquals(List.of("_dmarc.mail.agency.gov.example", "_dmarc.agency.gov.example", "_dmarc.gov.example"),
                d.walk());
    }

    @Test
    void psdY_isNotUsed_whenTheOrganizationalDomainPublishedARecord() {
        FakeZone zone = new FakeZone().dmarc("gov.example", "v=DMARC1; p=reject; psd=y")
                .dmarc("agency.gov.example", "v=DMARC1; p=none");
        Discovery d = discover(zone, "mail.agency.gov.example");
        assertEquals("agency.gov.example", d.organizationalDomain());
        assertEquals("agency.gov.example", d.policyDomain());
        assertEquals("v=DMARC1; p=none", d.record().orElseThrow().text());
    }

    @Test
    void psdN_stopsTheWalk_andIsTheOrganizationalDomain() {
        FakeZone zone = new FakeZone().dmarc("mail.example.com", "v=DMARC1; p=none; psd=n")
                .dmarc("example.com", "v=DMARC1; p=reject");
        Discovery d = discover(zone, "a.mail.example.com");
        assertEquals("mail.example.com", d.organizationalDomain());
        assertEquals("mail.example.com", d.policyDomain());
        assertEquals(List.of("_dmarc.a.mail.example.com", "_dmarc.mail.example.com"), d.walk());
    }

    @Test
    void withoutPsd_theShortestNameWithARecordIsTheOrganizationalDomain() {
        // RFC 9989 4.10.2's first example.
        FakeZone zone = new FakeZone().dmarc("mail.example.com", "v=DMARC1; p=none")
                .dmarc("example.com", "v=DMARC1; p=reject");
        Discovery d = discover(zone, "a.mail.example.com");
        assertEquals("example.com", d.organizationalDomain());
        assertEquals("example.com", d.policyDomain());
    }

    @Test
    void psdY_atTheAuthorDomainItself_leavesItItsOwnOrganizationalDomain() {
        FakeZone zone = new FakeZone().dmarc("gov.example", "v=DMARC1; p=reject; psd=y");
        Discovery d = discover(zone, "gov.example");
        assertEquals("gov.example", d.organizationalDomain());
        assertEquals("gov.example", d.policyDomain());
        assertEquals(List.of("_dmarc.gov.example"), d.walk());
    }

    @Test
    void severalRecordsAtOneName_areAllDiscarded_andTheWalkGoesOn() {
        FakeZone zone = new FakeZone().txt("_dmarc.mail.example.com", "v=DMARC1; p=none", "v=DMARC1; p=reject")
                .dmarc("example.com", "v=DMARC1; p=quarantine");
        Discovery d = discover(zone, "mail.example.com");
        assertEquals("example.com", d.policyDomain());
        assertEquals(1, d.notes().size(), d.notes().toString());
    }

    @Test
    void otherTxtRecords_besideTheDmarcRecord_areIgnored() {
        FakeZone zone = new FakeZone().txt("_dmarc.example.com", "v=spf1 -all", "v=DMARC1; p=reject", "hello");
        assertEquals("example.com", discover(zone, "example.com").policyDomain());
    }

    @Test
    void servfail_onTheWalk_isATemporaryFailure() {
        FakeZone zone = new FakeZone().fail("_dmarc.example.com", Outcome.SERVFAIL);
        Discovery d = discover(zone, "mail.example.com");
        assertTrue(d.failed());
        assertTrue(d.temporaryFailure().contains("_dmarc.example.com"), d.temporaryFailure());
        assertEquals(List.of("_dmarc.mail.example.com", "_dmarc.example.com"), d.walk());
    }

    @Test
    void timeout_isATemporaryFailureToo() {
        assertTrue(discover(new FakeZone().fail("_dmarc.example.com", Outcome.TIMEOUT), "example.com").failed());
    }

    @Test
    void notADomainName_isRefused() {
        assertThrows(IllegalArgumentException.class, () -> new PolicyDiscovery(new FakeZone()).discover("a..b"));
        assertThrows(IllegalArgumentException.class, () -> new PolicyDiscovery(new FakeZone()).discover(""));
    }

    @Test
    void unicodeDomain_isLookedUpAsALabels() {
        FakeZone zone = new FakeZone().dmarc("xn--bcher-kva.example", "v=DMARC1; p=reject");
        assertEquals("xn--bcher-kva.example", discover(zone, "bücher.example").policyDomain());
    }
}
