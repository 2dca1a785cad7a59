package org.sealpost.signing.dkim2;

import java.security.GeneralSecurityException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.sealpost.signing.dkim.BodyHash;
import org.sealpost.signing.dkim.HeaderField;
import org.sealpost.signing.dkim.MessageReader;

/**
 * The signing of one message: feed it with {@link #update} (CRLF line ends, before dot-stuffing),
 * then {@link #finish} returns the fields to put on top: a Message-Instance when one is due (-06
 * 9.1), and the DKIM2-Signature. The body streams through the hashes; only the header is kept.
 */
public final class Dkim2Signing {

    private final List<Dkim2Key> keys;
    private final Clock clock;
    private final Dkim2SignOptions options;
    private final MessageReader reader;
    /** One running body hash per hash name: ours, and those of the newest instance already on the message. */
    private final Map<String, BodyHash> bodies = new LinkedHashMap<>();
    private List<HeaderField> fields;
    private String problem;

    Dkim2Signing(List<Dkim2Key> keys, Clock clock, Dkim2SignOptions options) {
        this.keys = keys;
        this.clock = clock;
        this.options = options;
        this.reader = new MessageReader(new Listener(), Dkim2Signer.MAX_HEADER_BYTES);
        for (String hash : options.hashes()) {
            if (Dkim2Wire.digestName(hash) == null) {
                throw new IllegalArgumentException("unknown hash " + hash + ": DKIM2 -06 3.1 has sha256 and sha512");
            }
        }
    }

    public void update(byte[] data, int offset, int length) {
        reader.feed(data, offset, length);
    }

    public void update(byte[] data) {
        update(data, 0, data.length);
    }

    /** The Message-Instance (when due) and DKIM2-Signature fields, each ending in CRLF. */
    public String finish() throws Dkim2Refusal {
        reader.finish();
        if (problem != null) {
            throw new Dkim2Refusal(problem);
        }
        Chain chain;
        try {
            chain = Chain.read(fields);
        } catch (Dkim2PermanentError e) {
            throw new Dkim2Refusal("the message's DKIM2 fields are not valid: " + e.getMessage());
        }
        List<InstanceHash> hashes = new ArrayList<>();
        for (String hash : options.hashes()) {
            hashes.add(current(hash));
        }
        int m = chain.highestInstance();
        String newInstance = null;
        if (chain.isEmpty() || !matchesNewest(chain) || options.recipe().isPresent()) {
            if (!chain.isEmpty() && options.recipe().isEmpty()) {
                throw new Dkim2Refusal("the message no longer matches its " + Dkim2Wire.INSTANCE_FIELD + " m=" + m
                        + ": give the recipe that recreates it, for a new " + Dkim2Wire.INSTANCE_FIELD + " m=" + (m + 1)
                        + " (-06 9.1)");
            }
            if (!chain.isEmpty() && matchesNewest(chain)) {
                throw new Dkim2Refusal("the message still matches its " + Dkim2Wire.INSTANCE_FIELD + " m=" + m
                        + ": a recipe is given but nothing changed");
            }
            m++;
            newInstance = Dkim2Wire.formatInstance(m, hashes, options.recipe().orElse(null));
        }
        Dkim2Signature unsigned = unsigned(chain, m);
        checkCustody(chain, unsigned);
        List<MessageInstance> instances = new ArrayList<>(chain.instances());
        if (newInstance != null) {
            instances.add(new MessageInstance(m, hashes, options.recipe(), HeaderField.of(newInstance)));
        }
        String unsignedField = Dkim2Wire.formatSignature(unsigned);
        byte[] input = Hashes.signingInput(instances, chain.signatures(), unsignedField);
        List<SigSet> sets = new ArrayList<>();
        for (Dkim2Key key : keys) {
            sets.add(new SigSet(key.selector(), key.algorithm().wireName(), sign(key, input)));
        }
        Dkim2Signature signed = new Dkim2Signature(unsigned.i(), m, unsigned.timestamp(), unsigned.nonce(),
                unsigned.mailFrom(), unsigned.rcptTo(), unsigned.nextDomain(), unsigned.domain(), sets, unsigned.flags(), null);
        return (newInstance == null ? "" : newInstance + "\r\n") + Dkim2Wire.formatSignature(signed) + "\r\n";
    }

    private InstanceHash current(String hash) {
        return new InstanceHash(hash, Hashes.header(fields, hash), bodies.get(hash).finish().digest());
    }

    // -06 9.1: a new instance is due when the hashes differ from those of the newest one. Each hash
    // both sides know is compared; the newest instance must have one this signer knows.
    private boolean matchesNewest(Chain chain) throws Dkim2Refusal {
        MessageInstance newest = chain.newestInstance();
        boolean compared = false;
        for (InstanceHash recorded : newest.hashes()) {
            if (!recorded.known()) {
                continue;
            }
            compared = true;
            if (!recorded.equals(current(recorded.algorithm()))) {
                return false;
            }
        }
        if (!compared) {
            throw new Dkim2Refusal(Dkim2Wire.INSTANCE_FIELD + " m=" + newest.m() + " has no hash this signer knows");
        }
        return true;
    }

    private Dkim2Signature unsigned(Chain chain, int m) throws Dkim2Refusal {
        String domain = keys.get(0).domain();
        long t = options.timestamp().orElse(clock.instant().getEpochSecond());
        if (options.nonce().isPresent()) {
            String n = options.nonce().get();
            if (n.length() > Dkim2Wire.MAX_NONCE || !n.chars().allMatch(c -> c >= 0x21 && c <= 0x7e && c != ';')) {
                throw new Dkim2Refusal("n= must be at most 64 visible ASCII characters other than ';' (-06 8.3)");
            }
        }
        for (String flag : options.flags()) {
            if (!flag.matches("[A-Za-z0-9_-]+")) {
                throw new Dkim2Refusal("f= flag \"" + flag + "\" is not a textstring (-06 8.10)");
            }
        }
        List<SigSet> empty = keys.stream().map(k -> new SigSet(k.selector(), k.algorithm().wireName(), new byte[0])).toList();
        Optional<String> mailFrom = options.envelope().map(Dkim2Envelope::reversePath);
        List<String> rcptTo = options.envelope().map(Dkim2Envelope::forwardPaths).orElse(List.of());
        if (options.envelope().isPresent() && rcptTo.isEmpty()) {
            throw new Dkim2Refusal("the envelope has no RCPT TO (-06 8.6)");
        }
        if (options.nextDomain().isPresent() && !Dkim2Wire.isDomain(options.nextDomain().get())) {
            throw new Dkim2Refusal("nd=" + options.nextDomain().get() + " is not a domain (-06 8.7)");
        }
        return new Dkim2Signature(chain.signatures().size() + 1, m, t, options.nonce(), mailFrom, rcptTo,
                options.nextDomain(), domain, empty, options.flags(), null);
    }

    // -06 8.8: MAIL FROM in d= or below it; -06 9.2: the chain of custody holds with this hop added.
    private static void checkCustody(Chain chain, Dkim2Signature sig) throws Dkim2Refusal {
        String own = Custody.mailFromInDomain(sig);
        if (own != null) {
            throw new Dkim2Refusal("MAIL FROM " + sig.mailFrom().orElseThrow() + " is not in d=" + sig.domain()
                    + " or below it (-06 8.8)");
        }
        if (!chain.isEmpty()) {
            String link = Custody.link(chain.newestSignature(), sig);
            if (link != null) {
                throw new Dkim2Refusal("the chain of custody would break (-06 9.2, 9.3): " + link);
            }
        }
    }

    private static byte[] sign(Dkim2Key key, byte[] input) {
        try {
            return key.algorithm().sign(key.privateKey(), input);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("signing with " + key.keyName() + " (" + key.algorithm().wireName()
                    + ") failed: " + e.getMessage(), e);
        }
    }

    private final class Listener implements MessageReader.Listener {
        @Override
        public void headers(List<HeaderField> headerFields) {
            fields = List.copyOf(headerFields);
            if (!fields.isEmpty() && (fields.get(0).raw().startsWith(" ") || fields.get(0).raw().startsWith("\t"))) {
                // Our fields go on top: a first line starting with WSP would continue our last one (RFC 5322 2.2.3).
                problem = "the header section starts with a folded line";
            }
            for (String hash : options.hashes()) {
                bodies.computeIfAbsent(hash, Hashes::body);
            }
            for (HeaderField field : fields) {
                if (field.is(Dkim2Wire.INSTANCE_FIELD)) {
                    // The instance may use a hash we do not write ourselves: hash the body for it too.
                    for (String hash : List.of(Dkim2Wire.SHA256, Dkim2Wire.SHA512)) {
                        if (field.value().contains(hash)) {
                            bodies.computeIfAbsent(hash, Hashes::body);
                        }
                    }
                }
            }
        }

        @Override
        public void body(byte[] data, int offset, int length) {
            for (BodyHash hash : bodies.values()) {
                hash.update(data, offset, length);
            }
        }

        @Override
        public void headersTooLarge(int limit) {
            problem = "the header section is longer than " + limit + " octets";
        }
    }
}
