package org.sealpost.keyexchange.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.sealpost.keyexchange.dane.Chains;

class CertificateNamesTest {

    @Test
    void wildcardCoversExactlyOneLabel_andCaseAndRootDotDoNotMatter() {
        assertTrue(CertificateNames.matches("*.example.test", "mx.example.test"));
        assertFalse(CertificateNames.matches("*.example.test", "a.mx.example.test"));
        assertFalse(CertificateNames.matches("*.example.test", "example.test"));
        assertTrue(CertificateNames.matches("MX.Example.Test.", "mx.example.test"));
    }

    @Test
    void dnsNamesComeFromTheSubjectAltName() throws Exception {
        assertEquals(List.of("mx.example.test"), CertificateNames.of(Chains.issue("mx.example.test", null, false).certificate()));
    }
}
