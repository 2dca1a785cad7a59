package org.sealpost.transport.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.sealpost.keyexchange.policy.TlsLevel;

class TlsReachedTest {

    @ParameterizedTest(name = "{0} {1}: {2}")
    @CsvSource(delimiter = '|', textBlock = """
            MAY       | none                                              | none
            DANE      | TLSv1.3 TLS_AES_256_GCM_SHA384 (dane-ee)          | dane
            DANE      | TLSv1.3 TLS_AES_128_GCM_SHA256 X25519MLKEM768 (dane-ee) | dane
            DANE_ONLY | TLSv1.3 TLS_AES_256_GCM_SHA384 (dane-ta)          | dane
            MAY       | TLSv1.3 TLS_AES_256_GCM_SHA384 (xkeys)            | xkeys
            VERIFY    | TLSv1.3 TLS_AES_256_GCM_SHA384 (verify)           | verify
            SECURE    | TLSv1.3 TLS_AES_256_GCM_SHA384 (secure)           | verify
            ENCRYPT   | TLSv1.2 TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256 (none) | encrypt
            MAY       | TLSv1.3 TLS_AES_256_GCM_SHA384 (none)             | may
            DANE      | TLSv1.3 TLS_AES_256_GCM_SHA384 (none)             | may
            """)
    void policyAndTlsText_giveTheLevelReached(TlsLevel level, String tls, String expected) {
        assertEquals(expected, TlsReached.of(level, tls).label());
    }
}
