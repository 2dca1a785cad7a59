package org.sealpost.transport.cli;

import java.io.IOException;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.sealpost.dnssec.DnsResolver;
import org.sealpost.signing.dmarc.PolicyDiscovery;
import org.sealpost.signing.dmarc.PolicyDiscovery.Discovery;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** `sealpost dmarc record`: the DMARC record that applies to a domain, found by the RFC 9989 tree walk. */
@Command(name = "dmarc", mixinStandardHelpOptions = true,
        description = "DMARC (RFC 9989) policy discovery with Sealpost's tree walk.",
        subcommands = {DmarcCommand.Record.class})
final class DmarcCommand {

    /** Exit status when no record applies. */
    static final int NO_RECORD = 1;

    private DmarcCommand() {
    }

    @Command(name = "record", mixinStandardHelpOptions = true,
            description = "Finds the DMARC record that applies to DOMAIN by the DNS tree walk of RFC 9989 4.10 and "
            + "prints labelled lines: 'record: ' the record as published, 'policy-domain: ' where the walk found it, "
            + "'organizational-domain: ', and 'walk: ' the names queried, in order. Records come from --dns-zone "
            + "files, or from DNS validated from --trust-anchor (default: the root anchors) through --resolver "
            + "(default: /etc/resolv.conf). Exit status: 0 a record applies, 1 none does (or a lookup failed), "
            + "2 usage error.")
    static final class Record implements Callable<Integer> {

        @Parameters(index = "0", paramLabel = "DOMAIN", description = "the Author Domain (the From address's domain)")
        String domain;

        @Mixin
        DnsOptions dnsOptions = new DnsOptions();

        @Override
        public Integer call() throws Exception {
            DnsResolver dns;
            try {
                dns = dnsOptions.resolver();
            } catch (IOException | IllegalArgumentException e) {
                return usage(e.getMessage());
            }
            Discovery found;
            try {
                found = new PolicyDiscovery(dns).discover(domain).get(60, TimeUnit.SECONDS);
            } catch (IllegalArgumentException e) {
                return usage(e.getMessage() + "; give a domain such as example.com");
            } catch (ExecutionException | TimeoutException e) {
                System.err.println("sealpost dmarc record: the lookup did not complete: "
                        + (e.getCause() == null ? e : e.getCause()));
                return NO_RECORD;
            }
            System.out.println("record: " + found.record().map(r -> r.text()).orElse("none"));
            System.out.println("policy-domain: " + (found.policyDomain().isEmpty() ? "none" : found.policyDomain()));
            System.out.println("organizational-domain: "
                    + (found.organizationalDomain().isEmpty() ? "unknown" : found.organizationalDomain()));
            System.out.println("walk: " + String.join(" ", found.walk()));
            found.notes().forEach(note -> System.out.println("note: " + note));
            // RFC 9989 4.10.1: a record without a usable p= (or with a bad sp= or np=) is applied as p=none
            // when rua= holds a valid URI, and not at all otherwise; say which, and why.
            found.record().filter(r -> !r.policyValid()).ifPresent(r -> System.out.println("note: "
                    + String.join("; ", r.problems()) + (r.applicableAsNone()
                    ? "; the record is applied as p=none, as its rua= holds a valid URI (RFC 9989 4.10.1)"
                    : "; with no valid rua= the record is not applied: permerror (RFC 9989 4.10.1)")));
            if (found.failed()) {
                System.out.println("temperror: " + found.temporaryFailure());
                return NO_RECORD;
            }
            if (!found.temporaryFailure().isEmpty()) {
                System.out.println("note: the walk stopped above the Author Domain's own record ("
                        + found.temporaryFailure() + "): the record applies; the Organizational Domain is unknown");
            }
            return found.record().isPresent() ? 0 : NO_RECORD;
        }
    }

    private static int usage(String message) {
        System.err.println("sealpost dmarc record: " + message);
        return Main.CONFIG_ERROR;
    }
}
