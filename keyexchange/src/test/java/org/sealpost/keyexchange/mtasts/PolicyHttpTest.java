package org.sealpost.keyexchange.mtasts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class PolicyHttpTest {

    private static final String URL = "https://mta-sts.example.com/.well-known/mta-sts.txt";

    private static String body(String response) throws Exception {
        return PolicyHttp.body(new ByteArrayInputStream(response.getBytes(StandardCharsets.ISO_8859_1)), URL, () -> { });
    }

    @Test
    void contentLengthBody_isRead() throws Exception {
        assertEquals("version: STSv1\n", body("HTTP/1.1 200 OK\r\nContent-Type: text/plain; charset=utf-8\r\n"
                + "Content-Length: 15\r\n\r\nversion: STSv1\nrest"));
    }

    @Test
    void chunkedBody_isRead() throws Exception {
        assertEquals("version: STSv1\n", body("HTTP/1.1 200 OK\r\nContent-Type: TEXT/PLAIN\r\n"
                + "Transfer-Encoding: chunked\r\n\r\n8\r\nversion:\r\n7; ext=1\r\n STSv1\n\r\n0\r\nX-Trailer: 1\r\n\r\n"));
    }

    @Test
    void bodyUntilClose_isRead() throws Exception {
        assertEquals("mode: none\n", body("HTTP/1.0 200 OK\nContent-Type: text/plain\n\nmode: none\n"));
    }

    @Test
    void oversizedChunkedBody_isInvalid() {
        String big = "a".repeat(PolicyHttp.BODY_LIMIT + 1);
        StsException e = assertThrows(StsException.class, () -> body("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n"
                + "Transfer-Encoding: chunked\r\n\r\n" + Integer.toHexString(big.length()) + "\r\n" + big + "\r\n0\r\n\r\n"));
        assertEquals(StsFailure.POLICY_INVALID, e.failure());
    }

    @Test
    void oversizedBodyUntilClose_isInvalid() {
        StsException e = assertThrows(StsException.class, () -> body("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\n"
                + "a".repeat(PolicyHttp.BODY_LIMIT + 1)));
        assertEquals(StsFailure.POLICY_INVALID, e.failure());
    }

    @Test
    void missingContentType_isInvalid() {
        StsException e = assertThrows(StsException.class, () -> body("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"));
        assertEquals(StsFailure.POLICY_INVALID, e.failure());
    }

    @Test
    void notFound_isAFetchError() {
        StsException e = assertThrows(StsException.class, () -> body("HTTP/1.1 404 Not Found\r\nContent-Type: text/plain\r\n"
                + "Content-Length: 0\r\n\r\n"));
        assertEquals(StsFailure.POLICY_FETCH_ERROR, e.failure());
    }

    @Test
    void truncatedBody_isAFetchError() {
        StsException e = assertThrows(StsException.class, () -> body("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n"
                + "Content-Length: 100\r\n\r\nversion: STSv1\n"));
        assertEquals(StsFailure.POLICY_FETCH_ERROR, e.failure());
    }
}
