package org.sealpost.transport.tlsrpt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.util.List;
import org.junit.jupiter.api.Test;

class TlsRptRecordTest {

    @Test
    void record_withMailtoAndHttps_givesBothInOrder() {
        TlsRptRecord record = TlsRptRecord.select(List.of("v=spf1 -all",
                "v=TLSRPTv1; rua=mailto:tlsrpt@example.net,https://reports.example.net/v1/tlsrpt")).orElseThrow();
        assertEquals(List.of(URI.create("mailto:tlsrpt@example.net"), URI.create("https://reports.example.net/v1/tlsrpt")),
                record.rua());
        assertEquals(List.of("tlsrpt@example.net"), record.mailto());
        assertEquals(List.of(URI.create("https://reports.example.net/v1/tlsrpt")), record.https());
    }

    @Test
    void record_withSpacesTrailingDelimiterAndExtension_isRead() {
        TlsRptRecord record = TlsRptRecord.select(List.of("v=TLSRPTv1 ;  rua=mailto:a@example.net , mailto:b@example.net?subject=x ;"
                + " ext-1=whatever;")).orElseThrow();
        assertEquals(List.of("a@example.net", "b@example.net"), record.mailto());
    }

    @Test
    void twoVersionRecords_meanNoReporting() {
        // RFC 8460 3: if the number of records left is not one, the domain does not implement TLSRPT
        assertTrue(TlsRptRecord.select(List.of("v=TLSRPTv1; rua=mailto:a@example.net",
                "v=TLSRPTv1; rua=mailto:b@example.net")).isEmpty());
    }

    @Test
    void invalidRecords_meanNoReporting() {
        for (String txt : List.of("v=TLSRPTv1", "v=TLSRPTv1;", "v=TLSRPTv2; rua=mailto:a@example.net",
                "rua=mailto:a@example.net; v=TLSRPTv1", "v=TLSRPTv1; rua=", "v=TLSRPTv1; rua=ftp://example.net/x",
                "v=TLSRPTv1; rua=mailto:a@example.net; rua=mailto:b@example.net", "v=TLSRPTv1; ; rua=mailto:a@example.net",
                "v=TLSRPTv1; rua=mailto:a@example.net,", "v=TLSRPTv1; rua=http://example.net/plain-http",
                "v=TLSRPTv1; garbage")) {
            assertTrue(TlsRptRecord.select(List.of(txt)).isEmpty(), txt);
        }
    }

    @Test
    void unknownScheme_isSkipped_whenAnotherIsUsable() {
        assertEquals(List.of(URI.create("https://r.example.net/")),
                TlsRptRecord.select(List.of("v=TLSRPTv1; rua=gopher://x.example.net,https://r.example.net/")).orElseThrow().rua());
    }
}
