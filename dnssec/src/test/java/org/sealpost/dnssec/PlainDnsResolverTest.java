package org.sealpost.dnssec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.MXRecord;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

class PlainDnsResolverTest {

    private DatagramSocket socket;
    private Thread server;
    private PlainDnsResolver resolver;

    /** Answers by name: records for known names, NXDOMAIN for others, SERVFAIL and silence on cue. */
    private static Message respond(Message query) throws Exception {
        Record question = query.getQuestion();
        Message response = new Message(query.getHeader().getID());
        response.getHeader().setFlag(Flags.QR);
        response.addRecord(question, Section.QUESTION);
        String name = question.getName().toString();
        Name mx = Name.fromString("mx.example.test.");
        Map<String, List<Record>> zone = Map.of(
                "example.test.", List.of(
                        new MXRecord(question.getName(), DClass.IN, 300, 20, Name.fromString("mx2.example.test.")),
                        new MXRecord(question.getName(), DClass.IN, 600, 10, mx)),
                "mx.example.test.", List.of(new ARecord(mx, DClass.IN, 120, InetAddress.getByName("127.0.0.3"))),
                "alias.example.test.", List.of(
                        new CNAMERecord(question.getName(), DClass.IN, 60, mx),
                        new ARecord(mx, DClass.IN, 120, InetAddress.getByName("127.0.0.3"))),
                "nullmx.example.test.", List.of(new MXRecord(question.getName(), DClass.IN, 300, 0, Name.root)));
        if (name.equals("fail.example.test.")) {
            response.getHeader().setRcode(Rcode.SERVFAIL);
        } else if (name.equals("silent.example.test.")) {
            return null;
        } else if (!zone.containsKey(name)) {
            response.getHeader().setRcode(Rcode.NXDOMAIN);
        } else {
            for (Record record : zone.get(name)) {
                if (record.getType() == question.getType() || record.getType() == Type.CNAME) {
                    response.addRecord(record, Section.ANSWER);
                }
            }
        }
        return response;
    }

    @BeforeEach
    void startServer() throws Exception {
        socket = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0));
        server = new Thread(() -> {
            byte[] buffer = new byte[4096];
            while (!socket.isClosed()) {
                try {
                    DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
                    socket.receive(packet);
                    Message response = respond(new Message(java.util.Arrays.copyOf(packet.getData(), packet.getLength())));
                    if (response != null) {
                        byte[] wire = response.toWire();
                        socket.send(new DatagramPacket(wire, wire.length, packet.getSocketAddress()));
                    }
                } catch (Exception e) {
                    // the socket closed at the end of the test
                }
            }
        });
        server.setDaemon(true);
        server.start();
        resolver = new PlainDnsResolver(List.of((InetSocketAddress) socket.getLocalSocketAddress()), Duration.ofMillis(300));
    }

    @AfterEach
    void stopServer() {
        socket.close();
    }

    @Test
    void mx_returnsRecordsWithSmallestTtl_andInsecureStatus() {
        DnsAnswer<MxRecord> answer = resolver.mx("example.test").join();
        assertEquals(Outcome.FOUND, answer.outcome());
        assertEquals(Security.INSECURE, answer.security());
        assertEquals(300, answer.ttlSeconds());
        assertTrue(answer.records().contains(new MxRecord(10, "mx.example.test")));
        assertTrue(answer.records().contains(new MxRecord(20, "mx2.example.test")));
    }

    @Test
    void mx_nullMx_isReportedAsNullMx() {
        DnsAnswer<MxRecord> answer = resolver.mx("nullmx.example.test").join();
        assertEquals(1, answer.records().size());
        assertTrue(answer.records().get(0).isNullMx());
    }

    @Test
    void addresses_followCnameChain() {
        DnsAnswer<InetAddress> answer = resolver.addresses("alias.example.test").join();
        assertEquals(Outcome.FOUND, answer.outcome());
        assertEquals("127.0.0.3", answer.records().get(0).getHostAddress());
    }

    @Test
    void unknownName_isNxdomain() {
        assertEquals(Outcome.NXDOMAIN, resolver.mx("nothere.example.test").join().outcome());
    }

    @Test
    void existingNameWithoutType_isNodata() {
        assertEquals(Outcome.NODATA, resolver.mx("mx.example.test").join().outcome());
    }

    @Test
    void serverFailure_isTemporary() {
        DnsAnswer<MxRecord> answer = resolver.mx("fail.example.test").join();
        assertEquals(Outcome.SERVFAIL, answer.outcome());
        assertTrue(answer.outcome().isTemporary());
    }

    @Test
    void silentServer_timesOut() {
        DnsAnswer<MxRecord> answer = resolver.mx("silent.example.test").join();
        assertEquals(Outcome.TIMEOUT, answer.outcome(), answer.reason());
    }
}
