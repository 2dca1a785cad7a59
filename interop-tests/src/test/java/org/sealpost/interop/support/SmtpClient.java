package org.sealpost.interop.support;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/** A minimal blocking SMTP client for load in tests: one connection, many messages. */
public final class SmtpClient implements AutoCloseable {

    private final Socket socket;
    private final BufferedReader in;
    private final OutputStream out;

    public SmtpClient(String host, int port) throws IOException {
        socket = new Socket(host, port);
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
