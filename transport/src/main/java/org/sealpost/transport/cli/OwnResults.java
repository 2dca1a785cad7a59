package org.sealpost.transport.cli;

import java.util.ArrayList;
import java.util.List;
import org.sealpost.signing.dkim.HeaderField;
import org.sealpost.signing.dkim.MessageReader;
import org.sealpost.signing.dkim.TagList;

/** Finds the message's own Authentication-Results field (RFC 8601 2.2: the one with our authserv-id). */
final class OwnResults {

    private OwnResults() {
    }

    /** The value of the topmost Authentication-Results field whose authserv-id is {@code authservId}, unfolded; or null. */
    static String find(byte[] message, String authservId) {
        List<HeaderField> fields = new ArrayList<>();
        MessageReader reader = new MessageReader(new MessageReader.Listener() {
            @Override
            public void headers(List<HeaderField> headerFields) {
                fields.addAll(headerFields);
            }

            @Override
            public void body(byte[] data, int offset, int length) {
            }

            @Override
            public void headersTooLarge(int limit) {
            }
        }, 1 << 20);
        reader.feed(message, 0, message.length);
        reader.finish();
        for (HeaderField field : fields) {
            if (!field.is("Authentication-Results")) {
                continue;
            }
            String value = TagList.trim(field.value().replace("\r\n", ""));
            int end = 0;
            while (end < value.length() && ";( \t".indexOf(value.charAt(end)) < 0) {
                end++;
            }
            if (value.substring(0, end).equalsIgnoreCase(authservId)) {
                return value;
            }
        }
        return null;
    }
}
