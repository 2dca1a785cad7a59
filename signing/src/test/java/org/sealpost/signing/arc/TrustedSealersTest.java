package org.sealpost.signing.arc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class TrustedSealersTest {

    private static final TrustedSealers TRUSTED = new TrustedSealers(List.of("List.Example.", "forwarder.example"));

    @Test
    void trustedNewestSealerSayingDmarcPass_vouches() {
        String one = Hops.seal(Hops.MESSAGE, Hops.forwarder(), "spf=fail");
        String two = Hops.seal(one, Hops.list(), "dkim=pass header.d=origin.example; dmarc=pass (p=reject) header.from=origin.example");
        ArcSetResult set = TRUSTED.vouchesForDmarc(Hops.verify(two)).orElseThrow();
        assertEquals(2, set.instance());
        assertEquals("list.example", set.domain());
    }

    @Test
    void olderTrustedSetBehindAnUntrustedOne_doesNotVouch() {
        String one = Hops.seal(Hops.MESSAGE, Hops.list(), "dmarc=pass header.from=origin.example");
        String two = Hops.seal(one, Hops.relay(), "dmarc=pass header.from=origin.example");
        assertTrue(TRUSTED.vouchesForDmarc(Hops.verify(two)).isEmpty());
    }

    @Test
    void trustedSealerSayingDmarcFail_doesNotVouch() {
        String one = Hops.seal(Hops.MESSAGE, Hops.list(), "dmarc=fail (dmarc=pass was not seen) header.from=origin.example");
        assertTrue(TRUSTED.vouchesForDmarc(Hops.verify(one)).isEmpty());
    }

    @Test
    void failingChain_doesNotVouch() {
        String one = Hops.seal(Hops.MESSAGE, Hops.list(), "dmarc=pass").replace("the body", "a body");
        assertTrue(TRUSTED.vouchesForDmarc(Hops.verify(one)).isEmpty());
    }

    @Test
    void subdomainOfATrustedSealer_isTrusted() {
        assertTrue(TRUSTED.isTrusted("mx1.list.example"));
        assertTrue(!TRUSTED.isTrusted("evillist.example"));
    }

    @Test
    void resultReading_skipsCommentsAndTheAuthservId() {
        assertEquals("pass", TrustedSealers.result("dmarc=fail.example; spf=none (dmarc=fail); DMARC=Pass header.from=x", "dmarc"));
        assertNull(TrustedSealers.result("mx.example; spf=pass (dmarc=pass)", "dmarc"));
        assertEquals("fail", TrustedSealers.result("mx.example; dkim=pass header.b=\"a;dmarc=pass\"; dmarc=fail", "dmarc"));
    }
}
