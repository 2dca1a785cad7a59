package org.sealpost.interop.support;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** A minimal blocking SMTP client for load in tests: one connection, many messages. */
public final class SmtpClient implements AutoCloseable {

    private final Socket socket;
    private final BufferedReader in;
    private final OutputStream out;

    public SmtpClient(String host, int port) throws IOException {
        this(host, port, null);
    }

    /** The same from a given local address, e.g. 127.0.0.5, so that the server sees that client. */
    public SmtpClient(String host, int port, String localAddress) throws IOException {
        socket = localAddress == null ? new Socket(host, port)
                : new Socket(java.net.InetAddress.getByName(host), port, java.net.InetAddress.getByName(localAddress), 0);
        socket.setSoTimeout(30_000);
        in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
        out = socket.getOutputStream();
        expect("220");
        command("EHLO load.interop.test", "250");
    }

    /** Sends one message; returns the final reply line (a 250 means the relay took responsibility). */
    public String send(String from, String to, String content) throws IOException {
        command("MAIL FROM:<" + from + ">", "250");
        command("RCPT TO:<" + to + ">", "250");
        command("DATA", "354");
        out.write((content.replace("\r\n.", "\r\n..") + "\r\n.\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
        return reply();
    }

    /** Sends one command line as it is and returns the last line of the reply, whatever its code. */
    public String ask(String line) throws IOException {
        out.write((line + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
        return reply();
    }

    /** Sends the content of a DATA already accepted with 354; returns the final reply line. */
    public String content(String content) throws IOException {
        out.write((content.replace("\r\n.", "\r\n..") + "\r\n.\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
        return reply();
    }

    /**
     * One transaction with the given MAIL FROM parameters (e.g. "BODY=8BITMIME SMTPUTF8 SIZE=N")
     * and content as octets (CRLF line ends), dot-stuffed while it streams out. Returns the first
     * reply that is not a success (MAIL, RCPT or the end of DATA), or the final 250; a refused
     * transaction is reset so that the connection can go on.
     */
    public String transact(String from, String parameters, List<String> to, byte[] content) throws IOException {
        String reply = commandReply("MAIL FROM:<" + from + ">" + (parameters.isEmpty() ? "" : " " + parameters));
        for (int i = 0; reply.startsWith("250") && i < to.size(); i++) {
            reply = commandReply("RCPT TO:<" + to.get(i) + ">");
        }
        if (reply.startsWith("250")) {
            reply = commandReply("DATA");
            if (reply.startsWith("354")) {
                OutputStream data = new java.io.BufferedOutputStream(out, 64 * 1024);
                boolean lineStart = true;
                for (byte b : content) {
                    if (lineStart && b == '.') {
                        data.write('.'); // RFC 5321 4.5.2
                    }
                    data.write(b);
                    lineStart = b == '\n';
                }
                data.write((lineStart ? ".\r\n" : "\r\n.\r\n").getBytes(StandardCharsets.US_ASCII));
                data.flush();
                return reply();
            }
        }
        commandReply("RSET");
        return reply;
    }

    private String commandReply(String line) throws IOException {
        out.write((line + "\r\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
        return reply();
    }

    private void command(String line, String expected) throws IOException {
        out.write((line + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
        expect(expected);
    }

    private void expect(String code) throws IOException {
        String reply = reply();
        if (!reply.startsWith(code)) {
            throw new IOException("expected " + code + ", got " + reply);
        }
    }

    private String reply() throws IOException {
        String line;
        do {
            line = in.readLine();
            if (line == null) {
                throw new IOException("connection closed");
            }
        } while (line.length() > 3 && line.charAt(3) == '-');
        return line;
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
