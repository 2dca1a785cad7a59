package org.sealpost.keyexchange.mtasts;

import java.util.List;
import java.util.regex.Pattern;

/**
 * The {@code _mta-sts} TXT record of a domain (RFC 8461 3.1): it says a policy exists and names
 * its version by {@code id}; a changed id tells the sender to fetch the policy again.
 */
record StsRecord(String id) {

    /** RFC 8461 3.1: sts-id = %s"id=" 1*32(ALPHA / DIGIT). */
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9]{1,32}");
    /** sts-ext-name = (ALPHA / DIGIT) *31(ALPHA / DIGIT / "_" / "-" / "."). */
    private static final Pattern EXTENSION_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,31}");
    /** sts-ext-value = 1*(%x21-3A / %x3C / %x3E-7E): visible characters but "=" and ";". */
    private static final Pattern EXTENSION_VALUE = Pattern.compile("[\\x21-\\x3a\\x3c\\x3e-\\x7e]+");

    /**
     * The one record among the TXT strings at {@code _mta-sts.DOMAIN}. RFC 8461 3.1: records that
     * do not begin with "v=STSv1;" are discarded; if not exactly one is left, or it is invalid,
     * the domain has no available policy.
     */
    static StsRecord select(List<String> txt) throws StsException {
        List<String> candidates = txt.stream().filter(StsRecord::startsWithVersion).toList();
        if (candidates.isEmpty()) {
            throw new StsException(StsFailure.POLICY_FETCH_ERROR, "no TXT record starting with v=STSv1");
        }
        if (candidates.size() > 1) {
            throw new StsException(StsFailure.POLICY_FETCH_ERROR,
                    candidates.size() + " TXT records start with v=STSv1; RFC 8461 3.1 allows exactly one");
        }
        return parse(candidates.get(0));
    }

    private static boolean startsWithVersion(String record) {
        return record.startsWith("v=STSv1") && record.substring("v=STSv1".length()).stripLeading().startsWith(";");
    }

    /** RFC 8461 3.1: sts-version 1*(*WSP ";" *WSP sts-field) [";"], with exactly one id. */
    static StsRecord parse(String record) throws StsException {
        if (!startsWithVersion(record)) {
            throw invalid(record, "it does not start with v=STSv1;");
        }
        String rest = record.substring("v=STSv1".length());
        String id = null;
        String[] fields = rest.split(";", -1);
        // fields[0] is the white space between the version and the first ";".
        for (int i = 1; i < fields.length; i++) {
            String field = fields[i].strip();
            if (field.isEmpty()) {
                if (i == fields.length - 1) {
                    continue; // the optional final ";"
                }
                throw invalid(record, "it has an empty field");
            }
            int equals = field.indexOf('=');
            if (equals <= 0) {
                throw invalid(record, "field '" + field + "' is not name=value");
            }
            String name = field.substring(0, equals);
            String value = field.substring(equals + 1);
            if (name.equals("id")) {
                if (id != null) {
                    throw invalid(record, "it has more than one id");
                }
                if (!ID.matcher(value).matches()) {
                    throw invalid(record, "id '" + value + "' is not 1 to 32 letters and digits");
                }
                id = value;
            } else if (!EXTENSION_NAME.matcher(name).matches() || !EXTENSION_VALUE.matcher(value).matches()) {
                throw invalid(record, "field '" + field + "' is not a valid extension");
            }
            // Other fields are extensions, ignored (RFC 8461 3.1).
        }
        if (id == null) {
            throw invalid(record, "it has no id");
        }
        return new StsRecord(id);
    }

    private static StsException invalid(String record, String why) {
        return new StsException(StsFailure.POLICY_INVALID, "TXT record '" + record + "' is invalid: " + why);
    }
}
