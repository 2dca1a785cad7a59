package org.sealpost.transport.tlsrpt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportStoreTest {

    private static final LocalDate DAY = LocalDate.of(2026, 12, 1);
    private static final AppliedPolicy STS = AppliedPolicy.mtaSts("Example.NET.", List.of("version: STSv1",
            "mode: enforce", "mx: *.mx.example.net", "max_age: 86400"), List.of("*.mx.example.net"));
    private static final AppliedPolicy DANE = AppliedPolicy.dane("mx1.example.org",
            List.of("3 1 1 0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"));
    private static final FailureDetail EXPIRED = FailureDetail.of(ResultType.CERTIFICATE_EXPIRED, "192.0.2.1",
            "mx1.mx.example.net", "198.51.100.7", "");

    @TempDir
    Path directory;

    @Test
    void counts_perPolicyAndFailureKind_surviveARestart() throws Exception {
        ReportStore store = new ReportStore(directory);
        store.success(DAY, STS);
        store.success(DAY, STS);
        store.failure(DAY, STS, EXPIRED);
        store.failure(DAY, STS, EXPIRED);
        store.failure(DAY, STS, new FailureDetail(ResultType.STS_POLICY_INVALID, "", "", "", "", "",
                "odd, value with spaces\nand a line end"));
        store.success(DAY, DANE);
        store.success(DAY.plusDays(1), DANE);
        store.save();

        ReportStore reopened = new ReportStore(directory);
        assertEquals(List.of(DAY, DAY.plusDays(1)), reopened.days());
        assertEquals(List.of("example.net", "mx1.example.org"), reopened.policyDomains(DAY));
        Map<AppliedPolicy, Tally> sts = reopened.results(DAY, "example.net");
        assertEquals(List.of(STS), List.copyOf(sts.keySet()));
        Tally tally = sts.get(STS);
        assertEquals(2, tally.successes);
        assertEquals(3, tally.failureCount());
        assertEquals(2L, tally.failures.get(EXPIRED));
        assertEquals(1L, tally.failures.get(new FailureDetail(ResultType.STS_POLICY_INVALID, "", "", "", "", "",
                "odd, value with spaces\nand a line end")));
        assertEquals(1, reopened.results(DAY, "mx1.example.org").get(DANE).successes);
    }

    @Test
    void countsNotSaved_areLostInACrash_andSavedOnesAddUp() throws Exception {
        ReportStore store = new ReportStore(directory);
        store.success(DAY, STS);
        store.save();
        store.success(DAY, STS); // never saved: what a crash before the minute's save loses
        ReportStore reopened = new ReportStore(directory);
        assertEquals(1, reopened.results(DAY, "example.net").get(STS).successes);
        reopened.success(DAY, STS);
        reopened.save();
        assertEquals(2, new ReportStore(directory).results(DAY, "example.net").get(STS).successes);
    }

    @Test
    void removedDomain_isGone_andAnEmptyDayLeavesTheDisk() throws Exception {
        ReportStore store = new ReportStore(directory);
        store.success(DAY, STS);
        store.success(DAY, DANE);
        store.save();
        store.remove(DAY, "example.net");
        store.save();
        assertEquals(List.of("mx1.example.org"), new ReportStore(directory).policyDomains(DAY));
        store.remove(DAY, "mx1.example.org");
        store.save();
        assertTrue(new ReportStore(directory).days().isEmpty());
    }
}
