package org.sealpost.keyexchange.mtasts;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * The one HTTP/1.1 exchange MTA-STS needs (RFC 8461 3.3): a GET with Connection: close, and an
 * answer read strictly: status 200 only (a redirect is never followed), Content-Type text/plain,
 * a body of at most {@link #BODY_LIMIT} bytes, by Content-Length, chunks, or up to the close.
 */
final class PolicyHttp {

    static final String PATH = "/.well-known/mta-sts.txt";
    /** RFC 8461 3.3 suggests a limit on the policy size; 64 KiB is far above any real policy. */
    static final int BODY_LIMIT = 64 * 1024;
    private static final int HEADER_LIMIT = 16 * 1024;

    /** Checks that the whole fetch is still within its time. */
    interface Deadline {
        void check() throws StsException;
    }

    private PolicyHttp() {
    }

    static byte[] request(String host, int port) {
        // RFC 9110 7.2: the Host field carries the port when it is not the scheme's default.
        String hostField = port == 443 ? host : host + ":" + port;
        return ("GET " + PATH + " HTTP/1.1\r\nHost: " + hostField + "\r\nUser-Agent: Sealpost MTA-STS\r\n"
                + "Accept: text/plain\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
    }

    /** Reads the answer and returns the policy body as text (UTF-8, RFC 8461 3.2). */
    static String body(InputStream in, String url, Deadline deadline) throws IOException, StsException {
        String status = line(in, deadline, url);
        String[] parts = status.split(" ", 3);
        if (parts.length < 2 || !parts[0].startsWith("HTTP/1.")) {
            throw new StsException(StsFailure.POLICY_FETCH_ERROR, url + " did not answer in HTTP/1.x: '" + status + "'");
        }
        int code;
        try {
            code = Integer.parseInt(parts[1]);
        } catch (NumberFormatException e) {
            throw new StsException(StsFailure.POLICY_FETCH_ERROR, url + " answered a bad status line: '" + status + "'");
        }
        String contentType = null;
        String transferEncoding = null;
        String location = null;
        long contentLength = -1;
        int headerBytes = 0;
        for (String header = line(in, deadline, url); !header.isEmpty(); header = line(in, deadline, url)) {
            headerBytes += header.length() + 2;
            if (headerBytes > HEADER_LIMIT) {
                throw new StsException(StsFailure.POLICY_FETCH_ERROR, url + " sent more than 16 KiB of header fields");
            }
            int colon = header.indexOf(':');
            if (colon <= 0) {
                continue;
            }
            String name = header.substring(0, colon).trim().toLowerCase(Locale.ROOT);
            String value = header.substring(colon + 1).trim();
            switch (name) {
                case "content-type" -> contentType = value;
                case "transfer-encoding" -> transferEncoding = value.toLowerCase(Locale.ROOT);
                case "location" -> location = value;
                case "content-length" -> contentLength = length(value, url);
                default -> {
                }
            }
        }
        if (code >= 300 && code < 400) {
            // RFC 8461 3.3: "HTTP 3xx redirects MUST NOT be followed".
            throw new StsException(StsFailure.POLICY_FETCH_ERROR, url + " redirected (status " + code
                    + (location == null ? "" : " to " + location) + "); redirects are not followed (RFC 8461 3.3)");
        }
        if (code != 200) {
            throw new StsException(StsFailure.POLICY_FETCH_ERROR, url + " answered status " + code + ", not 200");
        }
        String mediaType = contentType == null ? "" : contentType.split(";", 2)[0].trim();
        if (!mediaType.equalsIgnoreCase("text/plain")) {
            // RFC 8461 3.2: the policy is served as media type "text/plain".
            throw new StsException(StsFailure.POLICY_INVALID, url + " served "
                    + (contentType == null ? "no Content-Type" : "Content-Type " + contentType) + ", not text/plain");
        }
        byte[] body;
        if (transferEncoding != null && transferEncoding.contains("chunked")) {
            body = chunked(in, url, deadline);
        } else if (contentLength >= 0) {
            if (contentLength > BODY_LIMIT) {
                throw tooLarge(url);
            }
            body = exactly(in, (int) contentLength, url, deadline);
        } else {
            body = untilClose(in, url, deadline);
        }
        return new String(body, StandardCharsets.UTF_8);
    }

    private static long length(String value, String url) throws StsException {
        try {
            long length = Long.parseLong(value);
            if (length >= 0) {
                return length;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new StsException(StsFailure.POLICY_FETCH_ERROR, url + " sent a bad Content-Length '" + value + "'");
    }

    private static byte[] chunked(InputStream in, String url, Deadline deadline) throws IOException, StsException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        while (true) {
            String size = line(in, deadline, url).split(";", 2)[0].trim();
            int length;
            try {
                length = Integer.parseInt(size, 16);
            } catch (NumberFormatException e) {
                throw new StsException(StsFailure.POLICY_FETCH_ERROR, url + " sent a bad chunk size '" + size + "'");
            }
            if (length < 0 || body.size() + (long) length > BODY_LIMIT) {
                throw tooLarge(url);
            }
            if (length == 0) {
                // The trailer fields, up to the empty line, are read and dropped.
                for (String trailer = line(in, deadline, url); !trailer.isEmpty(); trailer = line(in, deadline, url)) {
                    deadline.check();
                }
                return body.toByteArray();
            }
            body.write(exactly(in, length, url, deadline));
            line(in, deadline, url); // the CRLF after the chunk
        }
    }

    private static byte[] exactly(InputStream in, int length, String url, Deadline deadline) throws IOException, StsException {
        byte[] bytes = new byte[length];
        int read = 0;
        while (read < length) {
            deadline.check();
            int n = in.read(bytes, read, length - read);
            if (n < 0) {
                throw new StsException(StsFailure.POLICY_FETCH_ERROR, url + " closed the connection after "
                        + read + " of " + length + " bytes");
            }
            read += n;
        }
        return bytes;
    }

    private static byte[] untilClose(InputStream in, String url, Deadline deadline) throws IOException, StsException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
            deadline.check();
            body.write(buffer, 0, n);
            if (body.size() > BODY_LIMIT) {
                throw tooLarge(url);
            }
        }
        return body.toByteArray();
    }

    /** One line ended by CRLF (or a bare LF), without its end. */
    private static String line(InputStream in, Deadline deadline, String url) throws IOException, StsException {
        StringBuilder line = new StringBuilder();
        while (true) {
            deadline.check();
            int c = in.read();
            if (c < 0) {
                throw new StsException(StsFailure.POLICY_FETCH_ERROR, url + " closed the connection in the middle of its answer");
            }
            if (c == '\n') {
                int end = line.length();
                return end > 0 && line.charAt(end - 1) == '\r' ? line.substring(0, end - 1) : line.toString();
            }
            if (line.length() >= HEADER_LIMIT) {
                throw new StsException(StsFailure.POLICY_FETCH_ERROR, url + " sent a line longer than 16 KiB");
            }
            line.append((char) c);
        }
    }

    private static StsException tooLarge(String url) {
        return new StsException(StsFailure.POLICY_INVALID, url + " served a policy larger than "
                + BODY_LIMIT / 1024 + " KiB");
    }
}
