package org.sealpost.transport.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sealpost.transport.config.Config;

/** SMTP client -> Relay (mx listener, recipient_verification = file), whose recipient_file is read again on reload. */
class RelayRecipientFileTest {

    @TempDir
    Path dir;

    private Relay relay;

    @AfterEach
    void stop() {
        if (relay != null) {
            relay.close();
        }
    }

    @Test
    void recipientFile_decidesAtRcpt_andReloadReadsItAgain() throws Exception {
        Path recipients = dir.resolve("recipients");
        Files.writeString(recipients, "alice@example.test\n");
        Config config = Config.parse(dir.resolve("sealpost.conf"), List.of("hostname = mx.example.test",
                "queue_directory = " + dir.resolve("queue"), "listeners = mx", "listener.mx.role = mx",
                "listener.mx.address = 127.0.0.1:0", "local_domains = example.test", "dns_resolvers = 127.0.0.1:9",
                "recipient_verification = file", "recipient_file = " + recipients));
        relay = Relay.start(config);
        assertEquals("250 2.1.5 Ok", rcpt("alice@example.test"));
        assertEquals("550 5.1.1 <bob@example.test>: Recipient address rejected: User unknown in relay recipient table",
                rcpt("bob@example.test"));
        Files.writeString(recipients, "alice@example.test\nbob@example.test\n");
        String inUse = relay.reload(config);
        assertTrue(inUse.endsWith("recipient_file " + recipients + " (2 entries)"), inUse);
        assertEquals("250 2.1.5 Ok", rcpt("bob@example.test"));
    }

    /** The reply to RCPT TO:&lt;address&gt; after EHLO and MAIL. */
    private String rcpt(String address) throws Exception {
        InetSocketAddress mx = relay.boundAddresses().get("mx");
        try (Socket socket = new Socket(mx.getAddress(), mx.getPort())) {
            socket.setSoTimeout(10_000);
            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
            OutputStream out = socket.getOutputStream();
            reply(in);
            out.write(("EHLO client.test\r\nMAIL FROM:<carol@sender.test>\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            reply(in);
            reply(in);
            out.write(("RCPT TO:<" + address + ">\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            return reply(in);
        }
    }

    private static String reply(BufferedReader in) throws Exception {
        String line;
        do {
            line = in.readLine();
        } while (line != null && line.length() > 3 && line.charAt(3) == '-');
        return line;
    }
}
