package org.sealpost.transport.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.sealpost.transport.queue.DeliveryStatus;
import org.sealpost.transport.queue.Recipient;
import org.sealpost.transport.queue.RecipientResult;

class ReasonClassTest {

    @ParameterizedTest(name = "{0} {1} remote={3}: {4}")
    @CsvSource(delimiter = '|', textBlock = """
            DELIVERED | 2.0.0  | 250 2.0.0 Ok: queued as 1234                                  | true  | none
            DEFERRED  | 4.2.0  | 451 4.2.0 try again later                                     | true  | refused-4xx
            BOUNCED   | 5.1.1  | 550 5.1.1 <bob@example.net>: Recipient address rejected        | true  | refused-5xx
            DEFERRED  | 4.4.1  | connect to mx.example.net[192.0.2.1]:25: Connection refused    | false | connect
            DEFERRED  | 4.4.1  | connect to mx.example.net[192.0.2.1]:25: Connection timed out  | false | timeout
            DEFERRED  | 4.4.2  | lost connection with mx.example.net[192.0.2.1] while sending   | false | connect
            DEFERRED  | 4.4.3  | Host or domain name not found. Name service error for example.net | false | dns
            BOUNCED   | 5.1.2  | Host or domain name not found. Name service error for example.net | false | dns
            BOUNCED   | 5.1.10 | Recipient address rejected: Domain example.net does not accept mail | false | dns
            DEFERRED  | 4.7.4  | TLS is required by policy encrypt (tls_policy.example.net)     | false | tls
            DEFERRED  | 4.7.5  | Server certificate not verified for mx.example.net (dane-ee)   | false | tls
            BOUNCED   | 5.3.4  | message size 9000000 exceeds size limit 1000000 of server x    | false | content
            BOUNCED   | 5.6.7  | message needs SMTPUTF8, but server x does not offer it         | false | content
            DEFERRED  | 4.4.1  | delivery temporarily suspended: connect to x: Connection refused | false | suspended
            DEFERRED  | 4.3.0  | local error in delivery: java.lang.IllegalStateException       | false | other
            DEFERRED  | 4.4.6  | mail for example.net loops back to myself                      | false | other
            """)
    void result_getsItsReasonClass(DeliveryStatus status, String code, String diagnostic, boolean remote, String expected) {
        RecipientResult result = new RecipientResult(Recipient.of("bob@example.net"), status, code, diagnostic,
                remote ? "mx.example.net" : "", remote);
        assertEquals(expected, ReasonClass.of(result).label());
    }
}
