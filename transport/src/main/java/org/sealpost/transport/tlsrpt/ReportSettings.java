package org.sealpost.transport.tlsrpt;

import java.util.List;
import javax.net.ssl.SSLContext;
import org.sealpost.signing.dkim.SigningKey;

/**
 * Who sends the reports and how (docs/tlsrpt.md).
 *
 * @param from tlsrpt_from: the From and envelope sender of the report mails
 * @param organization tlsrpt_organization: organization-name in the report
 * @param contact tlsrpt_contact: contact-info, or "" to leave it out
 * @param hostname the relay's hostname, for Message-IDs
 * @param keys the DKIM keys of from's domain (dkim_key.DOMAIN) the mails are signed with; empty: unsigned
 * @param tls whom the https POSTs trust (tls_ca_file, or the JDK's cacerts)
 */
public record ReportSettings(String from, String organization, String contact, String hostname,
        List<SigningKey> keys, SSLContext tls) {

    public ReportSettings {
        keys = List.copyOf(keys);
    }

    /** The submitter (RFC 8460 5.3): the domain of tlsrpt_from. */
    public String submitter() {
        return from.substring(from.lastIndexOf('@') + 1).toLowerCase(java.util.Locale.ROOT);
    }
}
