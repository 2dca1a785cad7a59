package org.sealpost.transport.smtp.client;

import io.netty.util.NetUtil;
import java.net.InetSocketAddress;
import java.security.cert.CertPathBuilderException;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.util.List;
import org.sealpost.keyexchange.policy.Failure;
import org.sealpost.keyexchange.policy.HostPolicy;
import org.sealpost.keyexchange.policy.PublishedPolicy;
import org.sealpost.keyexchange.policy.Rfc8460ResultType;
import org.sealpost.transport.metrics.Metrics;
import org.sealpost.transport.tlsrpt.AppliedPolicy;
import org.sealpost.transport.tlsrpt.FailureDetail;
import org.sealpost.transport.tlsrpt.ResultType;
import org.sealpost.transport.tlsrpt.TlsReporting;

/**
 * The TLS outcome of each outbound session, counted once per connection for TLS-RPT (RFC 8460 4.1:
 * sessions, not messages; docs/tlsrpt.md says what counts as what) and in the metrics. The
 * deliverer decides which sessions count: never the delivery of a report (RFC 8460 5.1), nor a
 * recipient probe, nor `sealpost check`.
 */
final class TlsSessions {

    /** Counts nothing: `sealpost check`, and a deliverer without TLS reporting or metrics. */
    static final TlsSessions NONE = new TlsSessions(null, Metrics.none());

    private final TlsReporting reporting;
    private final Metrics metrics;

    /** @param reporting where the counts go, or null when TLS reporting is off (the metrics still count) */
    TlsSessions(TlsReporting reporting, Metrics metrics) {
        this.reporting = reporting;
        this.metrics = metrics;
    }

    /** A session whose TLS met every policy. */
    void passed(HostPolicy policy, String domain) {
        AppliedPolicy applied = applied(policy.decision().published(), domain);
        metrics.tlsrptSession(applied.type().wireName(), "success");
        if (reporting != null) {
            reporting.success(applied);
        }
    }

    /**
     * A session that failed (or passed with a failure that is only reported) as {@code type} says,
     * on {@code connection} (null before connecting).
     *
     * @param reasonCode the enhanced status code of the policy's failure, the reply to STARTTLS, or the TLS alert
     */
    void failed(HostPolicy policy, String domain, SmtpConnection connection, Target target, Rfc8460ResultType type,
            String reasonCode) {
        failed(applied(policy.decision().published(), domain), connection, target, type, reasonCode);
    }

    /** A policy refused {@code target} before any connection (RFC 8460 4.3.2 dnssec-invalid, dane-required; 4.3.3). */
    void refused(Failure failure, Target target, String domain) {
        failed(refusedUnder(failure, target, domain), null, target, failure.resultType(), failure.enhancedCode());
    }

    private void failed(AppliedPolicy applied, SmtpConnection connection, Target target, Rfc8460ResultType type,
            String reasonCode) {
        FailureDetail detail = detail(type, connection == null ? null : connection.local(), target, reasonCode);
        metrics.tlsrptSession(applied.type().wireName(), detail.resultType().wireName());
        if (reporting != null) {
            reporting.failure(applied, detail);
        }
    }

    /**
     * The policy a report names for a session: the MX host's TLSA records (reported to the MX host,
     * RFC 8460 3), the recipient domain's MTA-STS policy, or no-policy-found for the next-hop domain.
     */
    static AppliedPolicy applied(PublishedPolicy published, String domain) {
        return switch (published.type()) {
            case TLSA -> AppliedPolicy.dane(published.domain(), published.strings());
            case STS -> AppliedPolicy.mtaSts(published.domain().isEmpty() ? domain : published.domain(),
                    published.strings(), published.mxHosts());
            case NONE -> AppliedPolicy.none(domain);
        };
    }

    /**
     * The policy of a refusal before connecting, which has no published policy to carry: DANE's
     * (no validated TLSA records to name, RFC 8460 4.3.2) belongs to the MX host, MTA-STS's
     * (the policy could not be fetched or is invalid, 4.3.3) to the recipient domain.
     */
    static AppliedPolicy refusedUnder(Failure failure, Target target, String domain) {
        return switch (failure.policy()) {
            case "dane" -> AppliedPolicy.dane(target.host(), List.of());
            case "mta-sts" -> AppliedPolicy.mtaSts(domain, List.of(), List.of());
            default -> AppliedPolicy.none(domain);
        };
    }

    /**
     * The failure-details entry: our address (when connected), the MX host, its address and the reason
     * code; addresses in the text form of RFC 5952 ("2001:db8::25", not Java's "2001:db8:0:0:0:0:0:25").
     */
    static FailureDetail detail(Rfc8460ResultType type, InetSocketAddress local, Target target, String reasonCode) {
        return FailureDetail.of(resultType(type), local == null ? "" : NetUtil.toAddressString(local.getAddress()),
                target.host(), NetUtil.toAddressString(target.address()), reasonCode);
    }

    /** The two enums name the same RFC 8460 4.3 result types. */
    static ResultType resultType(Rfc8460ResultType type) {
        return ResultType.valueOf(type.name());
    }

    /**
     * What a failed handshake says of the certificate (RFC 8460 4.3.1), where the engine tells; the
     * client's own engine accepts any chain (the policies check it after the handshake), so most
     * handshake failures are the peer's or the protocol's: validation-failure.
     */
    static Rfc8460ResultType handshake(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (cause instanceof CertificateExpiredException || cause instanceof CertificateNotYetValidException) {
                return Rfc8460ResultType.CERTIFICATE_EXPIRED;
            }
            if (cause instanceof CertPathValidatorException || cause instanceof CertPathBuilderException) {
                return Rfc8460ResultType.CERTIFICATE_NOT_TRUSTED;
            }
            if (cause instanceof java.security.cert.CertificateException && String.valueOf(cause.getMessage())
                    .startsWith("No subject alternative")) {
                return Rfc8460ResultType.CERTIFICATE_HOST_MISMATCH;
            }
        }
        return Rfc8460ResultType.VALIDATION_FAILURE;
    }
}
