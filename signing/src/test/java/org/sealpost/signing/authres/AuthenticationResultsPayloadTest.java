package org.sealpost.signing.authres;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class AuthenticationResultsPayloadTest {

    @Test
    void authservId_isReadWhateverFollows() {
        Map<String, String> cases = new LinkedHashMap<>();
        cases.put("mx.example.net; spf=pass smtp.mailfrom=a@example.org", "mx.example.net");
        cases.put("  mx.example.net 1; none", "mx.example.net");
        cases.put("(a comment) mx.example.net; dkim=pass", "mx.example.net");
        cases.put("(nested (comment \\) here)) MX.Example.Net ; dkim=pass", "MX.Example.Net");
        cases.put("\"mx.example.net\"; dmarc=fail", "mx.example.net");
        cases.put("mx.example.net(comment right after);spf=none", "mx.example.net");
        cases.put("\r\n\tmx.example.net;\r\n\tspf=pass", "mx.example.net");
        cases.put("mx.example.net; this is not a resinfo at all ;;; ", "mx.example.net");
        cases.put("; spf=pass", "");
        cases.forEach((value, id) -> assertEquals(id, AuthenticationResultsPayload.parse(value).authservId(), value));
    }

    @Test
    void claims_comparesWithoutRegardToCase_andNeverMatchesAnEmptyId() {
        assertTrue(AuthenticationResultsPayload.parse("MX.EXAMPLE.NET; spf=pass").claims("mx.example.net"));
        assertFalse(AuthenticationResultsPayload.parse("mx.example.net.; spf=pass").claims("mx.example.net"));
        assertFalse(AuthenticationResultsPayload.parse("(only a comment)").claims(""));
    }

    @Test
    void results_areReadInOrder_withoutVersionsCommentsOrProperties() {
        AuthenticationResultsPayload parsed = AuthenticationResultsPayload.parse("mx.example.net;\r\n"
                + "\tspf=PASS (sender SPF authorized) smtp.mailfrom=a@example.org;\r\n"
                + "\tdkim/1=pass header.d=example.org header.s=\"sel;ector\";\r\n"
                + "\tarc=none; dmarc=pass (p=reject dis=none) header.from=example.org");
        assertEquals(List.of(new AuthenticationResultsPayload.Resinfo("spf", "pass"),
                new AuthenticationResultsPayload.Resinfo("dkim", "pass"),
                new AuthenticationResultsPayload.Resinfo("arc", "none"),
                new AuthenticationResultsPayload.Resinfo("dmarc", "pass")), parsed.results());
        assertEquals(Optional.of("pass"), parsed.result("DMARC"));
        assertEquals(Optional.empty(), parsed.result("iprev"));
    }

    @Test
    void aResultHiddenInACommentOrQuotedString_isNotAResult() {
        AuthenticationResultsPayload parsed = AuthenticationResultsPayload.parse(
                "mx.example.net; spf=fail (dmarc=pass) smtp.mailfrom=\"x; dmarc=pass\"@example.org");
        assertEquals(Optional.empty(), parsed.result("dmarc"));
        assertEquals(Optional.of("fail"), parsed.result("spf"));
    }

    @Test
    void malformedResinfos_areSkipped() {
        AuthenticationResultsPayload parsed = AuthenticationResultsPayload.parse(
                "mx.example.net; =pass; dkim=; sp f=pass; dkim-=pass; dmarc=pass");
        assertEquals(List.of(new AuthenticationResultsPayload.Resinfo("dmarc", "pass")), parsed.results());
    }
}
