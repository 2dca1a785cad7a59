package org.sealpost.keyexchange.mtasts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class StsRecordTest {

    @Test
    void record_withId_isParsed() throws Exception {
        assertEquals("20160831085700Z", StsRecord.select(List.of("v=STSv1; id=20160831085700Z;")).id());
        assertEquals("abc", StsRecord.select(List.of("v=STSv1;id=abc")).id());
    }

    @Test
    void record_unknownFields_areIgnored() throws Exception {
        assertEquals("abc", StsRecord.parse("v=STSv1; ext_1=value; id=abc; other.x=1").id());
    }

    @Test
    void records_notStartingWithVersion_areDiscarded() throws Exception {
        assertEquals("abc", StsRecord.select(List.of("v=spf1 -all", "id=zzz", "v=STSv1; id=abc")).id());
    }

    @Test
    void noRecord_meansNoPolicy() {
        StsException e = assertThrows(StsException.class, () -> StsRecord.select(List.of("v=spf1 -all")));
        assertTrue(e.getMessage().contains("no TXT record"), e.getMessage());
    }

    @Test
    void twoRecords_meanNoPolicy() {
        StsException e = assertThrows(StsException.class,
                () -> StsRecord.select(List.of("v=STSv1; id=a", "v=STSv1; id=b")));
        assertTrue(e.getMessage().contains("exactly one"), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "v=STSv1; id=123456789012345678901234567890123", // 33 characters
        "v=STSv1; id=abc-def",
        "v=STSv1; id=",
        "v=STSv1; id=a; id=b",
        "v=STSv1;",
        "v=STSv1; ext",
        "v=STSv1; ; id=a",
        "v=STSv2; id=a",
        "v=STSv1 id=a",
    })
    void invalidRecord_isRejected(String record) {
        assertThrows(StsException.class, () -> StsRecord.select(List.of(record)));
    }
}
