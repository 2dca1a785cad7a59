package org.sealpost.transport.smtp.client;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** RFC 8689 3: "TLS-Required:" [FWS] "No", in the header section only. */
class TlsRequiredFieldTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
        "TLS-Required: No|true",
        "tls-required: no|true",
        "TLS-REQUIRED:NO|true",
        "TLS-Required:   No   |true",
        "TLS-Required:\\tNo|true",
        "TLS-Required:\\r\\n No|true",
        "TLS-Required: Yes|false",
        "TLS-Required: No thanks|false",
        "TLS-Required: Nope|false",
        "TLS-Required:|false",
        "X-TLS-Required: No|false",
        "Subject: TLS-Required: No|false",
    })
    void theFieldSaysNo_onlyWithTheValueNo(String field, boolean no) throws Exception {
        String message = "From: a@example.org\r\n" + field.replace("\\t", "\t").replace("\\r\\n", "\r\n")
                + "\r\nSubject: x\r\n\r\nbody\r\n";
        assertEquals(no, TlsRequiredField.saysNo(stream(message)));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "From: a@example.org\\r\\n\\r\\nTLS-Required: No\\r\\n|false",
        "TLS-Required: No|true",
        "From: a@example.org\\r\\nTLS-Required: No|true",
    })
    void aFieldInTheBody_isNotAField_andOneAtTheVeryEndIs(String message, boolean no) throws Exception {
        assertEquals(no, TlsRequiredField.saysNo(stream(message.replace("\\r\\n", "\r\n"))));
    }

    @org.junit.jupiter.api.Test
    void aFieldAcrossTheReadBlocks_isFoundWhereverTheBlocksEnd() throws Exception {
        // The stream is read in blocks of 8 KiB: the field, its folding or the blank line may
        // straddle a block's end at any octet.
        for (int pad = 8150; pad < 8210; pad++) {
            String filler = "X-Filler: " + "f".repeat(pad - 12) + "\r\n";
            assertEquals(true, TlsRequiredField.saysNo(stream(filler + "TLS-Required:\r\n No\r\n\r\nbody\r\n")), "pad " + pad);
            assertEquals(false, TlsRequiredField.saysNo(stream(filler + "\r\nTLS-Required: No\r\n")), "pad " + pad);
        }
    }

    private static ByteArrayInputStream stream(String text) {
        return new ByteArrayInputStream(text.getBytes(StandardCharsets.US_ASCII));
    }
}
