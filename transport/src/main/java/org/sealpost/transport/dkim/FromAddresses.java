package org.sealpost.transport.dkim;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The addr-spec of each mailbox in a From value (RFC 5322 3.6.2): the part in angle brackets, or
 * the bare address; lower case. Read by the signer to choose the key and by the inbound checks
 * for DMARC's author domain, for every message.
 */
public final class FromAddresses {

    private static final Pattern COMMENT = Pattern.compile("\\([^()]*\\)");
    // A comma outside quoted strings: an even number of quotes follows it.
    private static final Pattern MAILBOX_SEPARATOR = Pattern.compile(",(?=(?:[^\"]*\"[^\"]*\")*[^\"]*$)");

    private FromAddresses() {
    }

    public static List<String> of(String value) {
        List<String> found = new ArrayList<>();
        String withoutComments = COMMENT.matcher(value).replaceAll(" ");
        for (String mailbox : MAILBOX_SEPARATOR.split(withoutComments)) {
            int open = mailbox.lastIndexOf('<');
            int close = mailbox.lastIndexOf('>');
            String address = (open >= 0 && close > open ? mailbox.substring(open + 1, close) : mailbox).trim();
            if (address.indexOf('@') > 0 && !address.contains(" ")) {
                found.add(address.toLowerCase(Locale.ROOT));
            }
        }
        return found;
    }
}
