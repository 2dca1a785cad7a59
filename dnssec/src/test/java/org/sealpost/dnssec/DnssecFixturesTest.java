package org.sealpost.dnssec;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.sealpost.dnssec.lab.KnotLab;

/**
 * Every lab fixture in both validation modes, through unbound as the recursive resolver:
 * Sealpost validating itself, and Sealpost trusting unbound's AD bit. Both must agree.
 */
class DnssecFixturesTest {

    @TempDir
    static Path dir;

    private static KnotLab lab;
    private static DnsResolver validating;
    private static DnsResolver adBit;

    @BeforeAll
    static void startLab() throws Exception {
        lab = KnotLab.start(dir);
        InetSocketAddress unbound = lab.startUnbound();
        validating = new ValidatingDnsResolver(List.of(unbound), Duration.ofSeconds(2),
                TrustAnchors.fromFile(lab.trustAnchors, true));
        adBit = new PlainDnsResolver(List.of(unbound), Duration.ofSeconds(2), true);
    }

    @AfterAll
    static void stopLab() throws Exception {
        if (lab != null) {
            lab.close();
        }
    }

    static Stream<Arguments> fixtures() {
        return Stream.of("validate", "ad-bit").flatMap(mode -> Stream.of(
                Arguments.of(mode, "signed MX", lookup(r -> r.mx("good.test")), Outcome.FOUND, Security.SECURE),
                Arguments.of(mode, "signed TLSA", lookup(r -> r.tlsa("_25._tcp.mx.good.test")), Outcome.FOUND, Security.SECURE),
                Arguments.of(mode, "secure CNAME chain", lookup(r -> r.addresses("alias.good.test")), Outcome.FOUND, Security.SECURE),
                Arguments.of(mode, "CNAME into an unsigned zone", lookup(r -> r.addresses("toplain.good.test")), Outcome.FOUND,
                        Security.INSECURE),
                Arguments.of(mode, "unsigned delegation", lookup(r -> r.mx("insecure.good.test")), Outcome.FOUND, Security.INSECURE),
                Arguments.of(mode, "unsigned zone", lookup(r -> r.mx("plain.test")), Outcome.FOUND, Security.INSECURE),
                Arguments.of(mode, "tampered after signing", lookup(r -> r.mx("bogus.test")), Outcome.SERVFAIL, Security.BOGUS),
                Arguments.of(mode, "expired signatures", lookup(r -> r.mx("expired.test")), Outcome.SERVFAIL, Security.BOGUS),
                Arguments.of(mode, "NXDOMAIN with NSEC3 proof", lookup(r -> r.mx("nothere.good.test")), Outcome.NXDOMAIN,
                        Security.SECURE),
                Arguments.of(mode, "NODATA with NSEC3 proof", lookup(r -> r.mx("mx.good.test")), Outcome.NODATA, Security.SECURE),
                Arguments.of(mode, "server failure", lookup(r -> r.mx("servfail.test")), Outcome.SERVFAIL, null)));
    }

    /** Gives each lambda its type; Arguments.of alone cannot infer it. */
    private static Function<DnsResolver, CompletableFuture<? extends DnsAnswer<?>>> lookup(
            Function<DnsResolver, CompletableFuture<? extends DnsAnswer<?>>> lookup) {
        return lookup;
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("fixtures")
    void fixture_getsItsStatus(String mode, String fixture, Function<DnsResolver, CompletableFuture<? extends DnsAnswer<?>>> lookup,
            Outcome outcome, Security security) {
        DnsAnswer<?> answer = lookup.apply(mode.equals("validate") ? validating : adBit).join();
        assertEquals(outcome, answer.outcome(), fixture + ": " + answer.reason());
        if (security != null) {
            assertEquals(security, answer.security(), fixture + ": " + answer.reason());
        } else {
            assertEquals(false, answer.security() == Security.SECURE, fixture + " reported SECURE");
        }
    }
}
