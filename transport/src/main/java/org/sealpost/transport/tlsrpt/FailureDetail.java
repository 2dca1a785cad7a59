package org.sealpost.transport.tlsrpt;

/**
 * One kind of failed session, the key under which RFC 8460 4.3 aggregates failures: sessions that
 * failed the same way against the same server are one failure-details entry with a count. Empty
 * strings are fields left out of the report (all but result-type are optional).
 *
 * @param resultType why it failed
 * @param sendingMtaIp our address on the connection
 * @param receivingMxHostname the MX host name connected to
 * @param receivingMxHelo the name in the server's greeting or EHLO reply
 * @param receivingIp the server's address
 * @param additionalInformation a URI pointing to more information (RFC 8460 4.3)
 * @param failureReasonCode a free-form code, such as the TLS alert or the reply's enhanced status code
 */
public record FailureDetail(ResultType resultType, String sendingMtaIp, String receivingMxHostname,
        String receivingMxHelo, String receivingIp, String additionalInformation, String failureReasonCode) {

    public FailureDetail {
        sendingMtaIp = orEmpty(sendingMtaIp);
        receivingMxHostname = orEmpty(receivingMxHostname);
        receivingMxHelo = orEmpty(receivingMxHelo);
        receivingIp = orEmpty(receivingIp);
        additionalInformation = orEmpty(additionalInformation);
        failureReasonCode = orEmpty(failureReasonCode);
    }

    /** A failure with the connection's addresses and names. */
    public static FailureDetail of(ResultType resultType, String sendingMtaIp, String receivingMxHostname,
            String receivingIp, String failureReasonCode) {
        return new FailureDetail(resultType, sendingMtaIp, receivingMxHostname, "", receivingIp, "", failureReasonCode);
    }

    /** A failure before any connection (a policy that could not be fetched or was invalid). */
    public static FailureDetail of(ResultType resultType, String failureReasonCode) {
        return new FailureDetail(resultType, "", "", "", "", "", failureReasonCode);
    }

    private static String orEmpty(String value) {
        return value == null ? "" : value;
    }
}
