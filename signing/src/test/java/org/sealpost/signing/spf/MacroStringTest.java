package org.sealpost.signing.spf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The DIGIT transformer of a macro (RFC 7208 7.1), as the fuzz targets found it read. */
class MacroStringTest {

    @Test
    void digitOutsideAscii_isASyntaxError() {
        // U+0663 ARABIC-INDIC DIGIT THREE: Character.isDigit takes it, RFC 5234's DIGIT does not.
        SyntaxError e = assertThrows(SyntaxError.class, () -> MacroString.domainSpec("%{d\u0663}.example.com"));
        assertTrue(e.getMessage().contains("is not a delimiter"), e.getMessage());
        assertThrows(SyntaxError.class, () -> SpfRecord.parse("v=spf1 a:%{d\u0663}.example.com -all"));
    }

    @Test
    void zeroWrittenWithSeveralDigits_isStillZero() {
        // RFC 7208 7.1: the number of parts must be nonzero, however many zeros spell it.
        for (String zero : new String[] {"%{d0}", "%{d00}", "%{d0000}"}) {
            SyntaxError e = assertThrows(SyntaxError.class, () -> MacroString.domainSpec(zero + ".example.com"), zero);
            assertTrue(e.getMessage().contains("must not be zero"), e.getMessage());
        }
    }

    @Test
    void leadingZeros_keepTheirValue() throws Exception {
        MacroString.Macro macro = (MacroString.Macro) MacroString.domainSpec("%{d0002}").parts().get(0);
        assertEquals(2, macro.keep());
        MacroString.Macro many = (MacroString.Macro) MacroString.domainSpec("%{d12345}").parts().get(0);
        assertEquals(Integer.MAX_VALUE, many.keep());
    }
}
