package org.sealpost.transport.cli;

import java.io.IOException;
import java.net.InetAddress;
import java.time.Clock;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.sealpost.signing.spf.SpfChecker;
import org.sealpost.signing.spf.SpfDns;
import org.sealpost.signing.spf.SpfResult;
import org.sealpost.signing.spf.SpfVerdict;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** `sealpost spf check`: the SPF check an mx listener makes at MAIL FROM, from the shell. */
@Command(name = "spf", mixinStandardHelpOptions = true,
        description = "SPF (RFC 7208) checks with Sealpost's evaluator.",
        subcommands = {SpfCommand.Check.class})
final class SpfCommand {

    private SpfCommand() {
    }

    @Command(name = "check", mixinStandardHelpOptions = true,
            description = "Checks whether the client may send mail from the MAIL FROM domain or, for the null sender "
            + "(--mail-from ''), the HELO name (RFC 7208 2.3). Prints 'spf=RESULT (reason)' and, for a fail, "
            + "'explanation: TEXT'. Records come from --dns-zone files, or from DNS validated from --trust-anchor "
            + "(default: the root anchors) through --resolver (default: /etc/resolv.conf). Exit status: 0 pass, "
            + "1 any other result, 2 usage error.")
    static final class Check implements Callable<Integer> {

        @Mixin
        ClientIdentity client = new ClientIdentity();

        @Mixin
        DnsOptions dnsOptions = new DnsOptions();

        @Override
        public Integer call() throws Exception {
            String problem = client.problem();
            if (problem != null) {
                return usage(problem);
            }
            SpfDns dns;
            try {
                dns = SpfDns.over(dnsOptions.resolver());
            } catch (IOException | IllegalArgumentException e) {
                return usage(e.getMessage());
            }
            String receiver;
            try {
                receiver = InetAddress.getLocalHost().getCanonicalHostName();
            } catch (IOException e) {
                receiver = "unknown";
            }
            SpfVerdict verdict;
            try {
                verdict = new SpfChecker(dns, receiver, Clock.systemUTC()).check(client.address(), client.helo, client.mailFrom)
                        .get(60, TimeUnit.SECONDS);
            } catch (ExecutionException | TimeoutException e) {
                System.out.println("spf=temperror (the check did not complete: " + (e.getCause() == null ? e : e.getCause())
                        + ")");
                return 1;
            }
            System.out.println(verdict);
            if (!verdict.explanation().isEmpty()) {
                System.out.println("explanation: " + verdict.explanation());
            }
            return verdict.result() == SpfResult.PASS ? 0 : 1;
        }
    }

    private static int usage(String message) {
        System.err.println("sealpost spf check: " + message);
        return Main.CONFIG_ERROR;
    }
}
