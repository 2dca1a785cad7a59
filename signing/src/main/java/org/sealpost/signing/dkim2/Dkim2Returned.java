package org.sealpost.signing.dkim2;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.sealpost.dnssec.DnsResolver;
import org.sealpost.signing.dkim.BodyHash;
import org.sealpost.signing.dkim.HeaderField;
import org.sealpost.signing.dkim.MessageReader;

/**
 * -06 12.1.2, the authentication of an inbound delivery status notification: a DKIM2-signed
 * report that returns a DKIM2-signed message (or its header section) must be about a message this
 * system sent, unaltered. Three things are checked on the returned message's newest
 * DKIM2-Signature: it is ours (its d= is one of our signing domains, and its mf= is in d=, -06
 * 8.8); the report's signer is aligned with the recipient it was sent to (rt=, -06 9.4's relaxed
 * match); and the returned content is what that signature's Message-Instance hashed (the header
 * section always, the body when it was returned whole), with the signature itself verified against
 * our published key, so that nobody can fabricate "our" message.
 *
 * <p>Feed the whole report, as it arrives, to {@link #update}; {@link #finish} gives the outcome.
 * Only the returned part's header section is held; its body streams through the hashes.
 */
public final class Dkim2Returned {

    /** What the check found: PASS, FAIL, TEMPERROR (a key lookup failed), or NONE (nothing to check). */
    public record Outcome(Dkim2Verdict verdict, String reason) {

        static Outcome none(String why) {
            return new Outcome(Dkim2Verdict.NONE, why);
        }
    }

    private static final int MAX_PART_HEADER = 64 * 1024;

    private final MessageReader outer;
    private BodyLineSplitter lines;
    private String boundary;
    private String notChecked = "not a delivery status notification";

    private enum Where { PREAMBLE, PART_HEADER, PART_BODY, EPILOGUE }

    private Where where = Where.PREAMBLE;
    private final StringBuilder partHeader = new StringBuilder();
    private boolean returnedPart;
    private boolean wholeMessage;
    private long partLines;
    private MessageReader returned;
    private List<HeaderField> returnedFields;
    private final Map<String, BodyHash> bodies = new HashMap<>();
    private boolean partDone;

    public Dkim2Returned(int maxHeaderBytes) {
        this.outer = new MessageReader(new MessageReader.Listener() {
            @Override
            public void headers(List<HeaderField> fields) {
                reportHeader(fields);
            }

            @Override
            public void body(byte[] data, int offset, int length) {
                if (lines != null) {
                    lines.feed(data, offset, length);
                }
            }

            @Override
            public void headersTooLarge(int limit) {
                notChecked = "its header section is over " + limit + " octets";
            }
        }, maxHeaderBytes);
    }

    public void update(byte[] data, int offset, int length) {
        outer.feed(data, offset, length);
    }

    public void update(java.nio.ByteBuffer buffer) {
        outer.feed(buffer);
    }

    /**
     * The outcome, once the whole report was given.
     *
     * @param ownDomains the domains this system signs DKIM2 for, in lower case
     * @param reportSigner the d= of the report's own newest DKIM2-Signature, when its chain passed; null
     *     when the report carries no chain that verified (then it is not a DKIM2-signed report, and
     *     nothing is checked here)
     */
    public CompletableFuture<Outcome> finish(DnsResolver dns, Set<String> ownDomains, String reportSigner) {
        outer.finish();
        if (lines != null) {
            lines.finish();
            endPart();
        }
        if (returnedFields == null) {
            return CompletableFuture.completedFuture(Outcome.none(notChecked));
        }
        if (returnedFields.stream().noneMatch(f -> Dkim2Wire.isDkim2(f.name()))) {
            return CompletableFuture.completedFuture(Outcome.none("the returned message has no DKIM2 chain"));
        }
        if (reportSigner == null) {
            return CompletableFuture.completedFuture(Outcome.none("the report has no DKIM2 chain that verified"));
        }
        Chain chain;
        try {
            chain = Chain.read(returnedFields);
        } catch (Dkim2PermanentError e) {
            return fail("its DKIM2 fields are not valid: " + e.getMessage());
        }
        Dkim2Signature newest = chain.newestSignature();
        String where = Dkim2Wire.SIGNATURE_FIELD + " i=" + newest.i();
        if (!ownDomains.contains(newest.domainLower()) || Custody.mailFromInDomain(newest) != null
                || newest.mailFrom().isEmpty()) {
            return fail("its newest " + where + " was not made here (d=" + newest.domain() + ", mf="
                    + newest.mailFrom().orElse("none") + ")");
        }
        // -06 12.1.2 step 1: the report comes from the domain the message was sent to.
        if (newest.rcptTo().stream().noneMatch(r -> Dkim2Wire.relaxedMatch(Dkim2Wire.domainOf(r), reportSigner))) {
            return fail("the report is signed by " + reportSigner + ", not by a domain " + where + " sent to (rt="
                    + String.join(",", newest.rcptTo()) + ")");
        }
        // -06 12.1.2 step 3: the content is what the newest signature's Message-Instance hashed.
        List<MessageInstance> instances = chain.instancesFor(newest);
        MessageInstance instance = instances.get(instances.size() - 1);
        String mismatch = compare(instance);
        if (mismatch != null) {
            return fail(mismatch);
        }
        Map<String, CompletableFuture<HopCheck.KeyAnswer>> lookups = new HashMap<>();
        for (SigSet set : newest.sigSets()) {
            if (set.known() != null) {
                lookups.computeIfAbsent(HopCheck.keyName(set, newest), name -> lookup(dns, name));
            }
        }
        return CompletableFuture.allOf(lookups.values().toArray(CompletableFuture[]::new)).thenApply(done -> {
            Map<String, HopCheck.KeyAnswer> answers = new HashMap<>();
            lookups.forEach((name, answer) -> answers.put(name, answer.join()));
            Dkim2Result.Hop hop = HopCheck.check(newest, chain, answers);
            return switch (hop.verdict()) {
                case PASS -> new Outcome(Dkim2Verdict.PASS, "the returned message was sent here (" + where + " d="
                        + newest.domain() + ") and is unaltered" + (wholeMessage ? "" : " (its header section was returned)"));
                case TEMPERROR -> new Outcome(Dkim2Verdict.TEMPERROR, "the returned message: " + hop.reason());
                default -> new Outcome(Dkim2Verdict.FAIL, "the returned message: " + hop.reason());
            };
        });
    }

    private static CompletableFuture<Outcome> fail(String reason) {
        return CompletableFuture.completedFuture(new Outcome(Dkim2Verdict.FAIL, "the returned message: " + reason));
    }

    private static CompletableFuture<HopCheck.KeyAnswer> lookup(DnsResolver dns, String name) {
        try {
            return dns.txt(name).handle(HopCheck.KeyAnswer::new);
        } catch (RuntimeException e) {
            return CompletableFuture.completedFuture(new HopCheck.KeyAnswer(null, e));
        }
    }

    /** Each hash the Message-Instance has that this code knows: the header's always, the body's when returned. */
    private String compare(MessageInstance instance) {
        boolean compared = false;
        for (InstanceHash recorded : instance.hashes()) {
            if (!recorded.known()) {
                continue;
            }
            compared = true;
            String name = recorded.algorithm();
            if (!java.security.MessageDigest.isEqual(recorded.headerHash(), Hashes.header(returnedFields, name))) {
                return "Message Instance m=" + instance.m() + " header hash " + name + " mismatch";
            }
            if (wholeMessage && !java.security.MessageDigest.isEqual(recorded.bodyHash(), bodies.get(name).finish().digest())) {
                return "Message Instance m=" + instance.m() + " body hash " + name + " mismatch";
            }
        }
        return compared ? null : "Message Instance m=" + instance.m() + " has no hash this verifier knows";
    }

    private void reportHeader(List<HeaderField> fields) {
        ContentType type = ContentType.TEXT_PLAIN;
        for (HeaderField field : fields) {
            if (field.is("Content-Type")) {
                type = ContentType.parse(field.value(), ContentType.TEXT_PLAIN);
            }
        }
        // RFC 6522 3: a report is multipart/report; its delivery-status kind is RFC 3464's.
        if (!type.type().equals("multipart/report") || type.boundary() == null) {
            return;
        }
        boundary = "--" + type.boundary();
        notChecked = "the report returns no message";
        lines = new BodyLineSplitter(new BodyLines() {
            @Override
            public void line(byte[] data, int offset, int length) {
                reportLine(data, offset, length);
            }

            @Override
            public void end() {
            }
        });
    }

    // RFC 2046 5.1.1: only top-level parts of the report; a delimiter line may carry trailing white space.
    private void reportLine(byte[] data, int offset, int length) {
        String line = new String(data, offset, length, StandardCharsets.ISO_8859_1);
        if (where != Where.EPILOGUE && line.startsWith(boundary)) {
            String rest = line.substring(boundary.length());
            boolean close = rest.startsWith("--");
            if ((close ? rest.substring(2) : rest).isBlank()) {
                endPart();
                where = close ? Where.EPILOGUE : Where.PART_HEADER;
                partHeader.setLength(0);
                return;
            }
        }
        switch (where) {
            case PART_HEADER -> {
                if (line.isEmpty()) {
                    beginPart();
                    where = Where.PART_BODY;
                } else if (partHeader.length() < MAX_PART_HEADER) {
                    partHeader.append(line).append("\r\n");
                }
            }
            case PART_BODY -> {
                if (returnedPart && !partDone) {
                    if (partLines++ > 0) {
                        returned.feed(new byte[] {'\r', '\n'}, 0, 2); // the CRLF before a delimiter belongs to it
                    }
                    returned.feed(data, offset, length);
                }
            }
            default -> {
            }
        }
    }

    private void beginPart() {
        ContentType type = ContentType.TEXT_PLAIN;
        String encoding = "7bit";
        for (String raw : partHeader.toString().split("\r\n(?![ \t])")) {
            HeaderField field = HeaderField.of(raw);
            if (field.is("Content-Type")) {
                type = ContentType.parse(field.value(), ContentType.TEXT_PLAIN);
            } else if (field.is("Content-Transfer-Encoding")) {
                encoding = field.value().trim().toLowerCase(Locale.ROOT);
            }
        }
        boolean whole = type.type().equals("message/rfc822") || type.type().equals("message/global");
        boolean headers = type.type().equals("text/rfc822-headers") || type.type().equals("message/global-headers");
        if (returnedFields != null || !(whole || headers)) {
            return;
        }
        if (!encoding.equals("7bit") && !encoding.equals("8bit") && !encoding.equals("binary")) {
            notChecked = "the returned message is in " + encoding + " transfer encoding";
            return;
        }
        returnedPart = true;
        wholeMessage = whole;
        partLines = 0;
        returned = new MessageReader(new MessageReader.Listener() {
            @Override
            public void headers(List<HeaderField> fields) {
                returnedFields = new ArrayList<>(fields);
                for (String hash : List.of(Dkim2Wire.SHA256, Dkim2Wire.SHA512)) {
                    bodies.put(hash, Hashes.body(hash));
                }
            }

            @Override
            public void body(byte[] data, int offset, int length) {
                bodies.values().forEach(b -> b.update(data, offset, length));
            }

            @Override
            public void headersTooLarge(int limit) {
                notChecked = "the returned message's header section is over " + limit + " octets";
            }
        }, MAX_PART_HEADER * 16);
    }

    private void endPart() {
        if (returnedPart && !partDone) {
            partDone = true;
            returned.finish();
        }
        returnedPart = false;
    }
}
