package org.sealpost.transport.smtp.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.net.InetAddress;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.sealpost.keyexchange.policy.DefaultLevel;
import org.sealpost.keyexchange.policy.DeliveryPolicy;
import org.sealpost.keyexchange.policy.Hop;
import org.sealpost.keyexchange.policy.HostPolicy;
import org.sealpost.keyexchange.policy.Policies;
import org.sealpost.keyexchange.policy.StaticPolicy;
import org.sealpost.keyexchange.policy.TestPolicy;
import org.sealpost.keyexchange.policy.TlsLevel;

/** RFC 8689 4.2.1: which decisions qualify a host for a REQUIRETLS message. */
class RequireTlsHopTest {

    private static final Target TARGET = new Target("mx.example.net", InetAddress.getLoopbackAddress(), 25);
    private static final Hop HOP = new Hop("example.net", "mx.example.net", 25, true);

    /** A policy of the given place that decides {@code level} verified as {@code how}. */
    private static DeliveryPolicy deciding(String name, TlsLevel level, String how) {
        return TestPolicy.deciding(name, level).verifiedAs(how).because("decided");
    }

    /** The list static, default dane, dane, mta-sts, pkix, with {@code policy} in its place and the others passing. */
    private static HostPolicy decided(DeliveryPolicy policy) {
        List<DeliveryPolicy> list = new java.util.ArrayList<>(List.of(new StaticPolicy(Map.of()), new DefaultLevel(TlsLevel.DANE)));
        for (String name : List.of("dane", "mta-sts", "pkix")) {
            list.add(name.equals(policy.name()) ? policy : TestPolicy.unchanged(name));
        }
        return new Policies(list).beforeConnect(HOP).join();
    }

    @Test
    void dane_verifiedHost_qualifies() {
        assertNull(RequireTlsHop.unverified(TARGET, decided(deciding("dane", TlsLevel.DANE_ONLY, "dane")), true));
    }

    @Test
    void enforcedMtaSts_qualifies_evenWithoutSignedMx() {
        HostPolicy sts = decided(deciding("mta-sts", TlsLevel.VERIFY, "verify"));
        assertNull(RequireTlsHop.unverified(TARGET, sts, true));
        assertNull(RequireTlsHop.unverified(TARGET, sts, false));
    }

    @Test
    void opportunisticTls_doesNotQualify() {
        assertEquals("mx.example.net[127.0.0.1]:25: not verified by DANE or an enforced MTA-STS policy (policy may (dane): "
                + "decided)", RequireTlsHop.unverified(TARGET, decided(deciding("dane", TlsLevel.MAY, "none")), true));
    }

    @Test
    void encryptOrVerifyByTheOperator_doesNotQualify() {
        assertEquals("mx.example.net[127.0.0.1]:25: not verified by DANE or an enforced MTA-STS policy (policy encrypt "
                + "(dane): decided)", RequireTlsHop.unverified(TARGET, decided(deciding("dane", TlsLevel.ENCRYPT, "none")), true));
        HostPolicy verify = HostPolicy.unauthenticated(TlsLevel.VERIFY, "static");
        assertEquals("mx.example.net[127.0.0.1]:25: not verified by DANE or an enforced MTA-STS policy (policy verify "
                + "(static))", RequireTlsHop.unverified(TARGET, verify, true));
    }

    @Test
    void daneWithoutSignedMx_doesNotQualify() {
        assertEquals("mx.example.net[127.0.0.1]:25: the MX records are not DNSSEC-signed and no MTA-STS policy applies",
                RequireTlsHop.unverified(TARGET, decided(deciding("dane", TlsLevel.DANE_ONLY, "dane")), false));
    }

    @Test
    void theBounce_namesEveryHostsReason_inTheOrderTried() {
        RequireTlsHop hops = new RequireTlsHop();
        hops.skip(1, "b: does not announce REQUIRETLS after STARTTLS");
        hops.skip(0, "a: not verified");
        assertEquals(false, hops.allSkipped(3));
        assertEquals(true, hops.allSkipped(2));
        assertEquals("REQUIRETLS support required: a: not verified; b: does not announce REQUIRETLS after STARTTLS",
                hops.diagnostic());
    }
}
