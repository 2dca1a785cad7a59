package org.sealpost.signing.dkim2;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.sealpost.dnssec.DnsResolver;
import org.sealpost.signing.dkim.BodyHash;
import org.sealpost.signing.dkim.HeaderField;
import org.sealpost.signing.dkim.MessageReader;

/**
 * The verification of one message's DKIM2 chain while it arrives. Feed it with {@link #update}
 * (CRLF line ends, after dot-unstuffing), then call {@link #finish}. Once the header section is in,
 * the chain is read and checked (numbering, timestamps, custody, this transaction's envelope), the
 * key lookups start and the body streams through the hashes of the newest Message-Instance (and,
 * with a recipe engine, through the recipes into the hashes of each earlier one). Only the header
 * section is kept. Not thread-safe; the future may complete on a DNS thread.
 */
public final class Dkim2Verification {

    private final DnsResolver dns;
    private final Dkim2VerifierOptions options;
    private final Dkim2Envelope envelope;
    private final MessageReader reader;
    private final Map<String, CompletableFuture<HopCheck.KeyAnswer>> lookups = new HashMap<>();
    /** What went wrong, in the order found; the verdict is the first of the gravest (PERMERROR, FAIL, TEMPERROR). */
    private final List<Problem> problems = new ArrayList<>();
    /** One entry per Message-Instance, newest first: the version's expected and computed hashes. */
    private final List<Version> versions = new ArrayList<>();
    private final Map<Integer, Dkim2Result.Instance> instanceResults = new HashMap<>();
    /** The stage that recreates version m-1 from version m, by m: its change report is instance m's. */
    private final Map<Integer, EarlierVersions.Stage> stageOf = new HashMap<>();
    private EarlierVersions.BodySink body;
    private Chain chain;
    private Dkim2Result early;
    private boolean finished;

    /** A problem of one hop (i=), or of the message (hop 0). */
    private record Problem(int hop, Dkim2Verdict verdict, String reason) {
    }

    /** One version of the message: its instance, the header hashes computed from it, its body hashes. */
    private record Version(MessageInstance instance, Map<String, byte[]> headerHashes, Map<String, BodyHash> bodies) {
    }

    Dkim2Verification(DnsResolver dns, Dkim2VerifierOptions options, Dkim2Envelope envelope) {
        this.dns = dns;
        this.options = options;
        this.envelope = envelope;
        this.reader = new MessageReader(new Listener(), options.maxHeaderBytes());
    }

    public void update(byte[] data, int offset, int length) {
        checkOpen();
        reader.feed(data, offset, length);
    }

    public void update(byte[] data) {
        update(data, 0, data.length);
    }

    /** Reads the buffer's remaining octets, heap or direct, and leaves it at its limit. */
    public void update(ByteBuffer buffer) {
        checkOpen();
        reader.feed(buffer);
    }

    /** Ends the message; the result completes once the key lookups have. */
    public CompletableFuture<Dkim2Result> finish() {
        checkOpen();
        reader.finish();
        finished = true;
        if (early != null) {
            return CompletableFuture.completedFuture(early);
        }
        body.finish();
        for (Version version : versions) {
            compare(version);
        }
        List<CompletableFuture<HopCheck.KeyAnswer>> pending = new ArrayList<>(lookups.values());
        return CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new)).thenApply(done -> result());
    }

    private void checkOpen() {
        if (finished) {
            throw new IllegalStateException("verification already finished");
        }
    }

    private void headersComplete(List<HeaderField> fields) {
        if (fields.stream().noneMatch(f -> Dkim2Wire.isDkim2(f.name()))) {
            early = Dkim2Result.none();
            return;
        }
        try {
            chain = Chain.read(fields);
        } catch (Dkim2PermanentError e) {
            early = Dkim2Result.of(Dkim2Verdict.PERMERROR, e.getMessage());
            return;
        }
        checkChain();
        for (Dkim2Signature sig : chain.signatures()) {
            for (SigSet set : sig.sigSets()) {
                if (set.known() != null) {
                    lookups.computeIfAbsent(HopCheck.keyName(set, sig), this::lookup);
                }
            }
        }
        body = versions(fields);
    }

    // -06 11.3, 11.4, 11.8, 11.9: what can be judged from the fields alone.
    private void checkChain() {
        Instant now = options.clock().instant();
        List<Dkim2Signature> sigs = chain.signatures();
        for (int k = 0; k < sigs.size(); k++) {
            Dkim2Signature sig = sigs.get(k);
            add(sig.i(), Dkim2Verdict.PERMERROR, Custody.timestamps(List.of(sig), now, options.maxAge(), options.clockSkew()));
            add(sig.i(), Dkim2Verdict.PERMERROR, Custody.mailFromInDomain(sig));
            if (k > 0) {
                add(sig.i(), Dkim2Verdict.PERMERROR, Custody.link(sigs.get(k - 1), sig));
            }
        }
        Dkim2Signature newest = chain.newestSignature();
        add(newest.i(), Dkim2Verdict.PERMERROR, Custody.envelope(newest, envelope, options.acceptNextDomain()));
        for (Dkim2Signature sig : sigs) {
            if (sig.hasFlag(Dkim2Wire.DONOTEXPLODE)
                    && sigs.stream().anyMatch(later -> later.i() > sig.i() && later.hasFlag(Dkim2Wire.EXPLODED))) {
                add(0, Dkim2Verdict.FAIL, "Message has been exploded despite a donotexplode request (i=" + sig.i() + ")");
            }
            if (sig.hasFlag(Dkim2Wire.DONOTMODIFY) && bodyChangedAfter(sig.m())) {
                // -06 11.8, the body half; the header half needs the recipes' change report (result()).
                add(0, Dkim2Verdict.FAIL, "Message has been modified despite a donotmodify request (i=" + sig.i() + ")");
            }
        }
    }

    private boolean bodyChangedAfter(int m) {
        MessageInstance then = chain.instances().get(m - 1);
        for (MessageInstance later : chain.instances().subList(m, chain.instances().size())) {
            for (InstanceHash hash : later.hashes()) {
                Optional<InstanceHash> before = then.hash(hash.algorithm());
                if (before.isPresent() && !MessageDigest.isEqual(before.get().bodyHash(), hash.bodyHash())) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * Sets up the hashes of each version, newest first, and returns the sink the body goes to. The
     * newest version is the message itself; each earlier one comes out of the recipe engine's stage
     * for the version above it, its body piped through that stage while the message streams in.
     */
    private EarlierVersions.BodySink versions(List<HeaderField> fields) {
        List<HeaderField> headers = fields;
        List<EarlierVersions.Stage> stages = new ArrayList<>();
        int newest = chain.highestInstance();
        for (int m = newest; m >= 1; m--) {
            MessageInstance instance = chain.instances().get(m - 1);
            versions.add(version(instance, headers));
            if (m == 1) {
                break;
            }
            if (options.earlierVersions() == EarlierVersions.NONE) {
                notChecked(m - 1, Dkim2Result.Check.NOT_CHECKED, "no recipe engine: Message-Instance m=1 to m=" + (m - 1)
                        + " not recreated");
                break;
            }
            Optional<EarlierVersions.Stage> stage;
            try {
                stage = options.earlierVersions().recreate(instance, headers);
            } catch (Dkim2PermanentError | RuntimeException e) {
                add(0, Dkim2Verdict.PERMERROR, e instanceof Dkim2PermanentError ? e.getMessage()
                        : Dkim2Wire.INSTANCE_FIELD + " m=" + m + " recipe could not be applied: " + e);
                notChecked(m - 1, Dkim2Result.Check.NOT_CHECKED, "the recipe of m=" + m + " could not be applied");
                break;
            }
            if (stage.isEmpty()) {
                notChecked(m - 1, Dkim2Result.Check.NOT_RECREATABLE, "m=" + m + " says the earlier body cannot be recreated");
                break;
            }
            stages.add(stage.get());
            stageOf.put(m, stage.get());
            headers = stage.get().headers();
        }
        // Bottom up: the oldest version set up is a plain hash sink; each newer one feeds its hashes
        // and, through its stage, the version below it.
        EarlierVersions.BodySink sink = null;
        for (int k = versions.size() - 1; k >= 0; k--) {
            EarlierVersions.BodySink hashes = hashSink(versions.get(k).bodies());
            sink = sink == null ? hashes : tee(hashes, stages.get(k).body(sink));
        }
        return sink;
    }

    private Version version(MessageInstance instance, List<HeaderField> headers) {
        Map<String, byte[]> headerHashes = new LinkedHashMap<>();
        Map<String, BodyHash> bodies = new LinkedHashMap<>();
        for (InstanceHash hash : instance.hashes()) {
            if (hash.known()) {
                headerHashes.put(hash.algorithm(), Hashes.header(headers, hash.algorithm()));
                bodies.put(hash.algorithm(), Hashes.body(hash.algorithm()));
            }
        }
        if (headerHashes.isEmpty()) {
            add(0, Dkim2Verdict.PERMERROR, Dkim2Wire.INSTANCE_FIELD + " m=" + instance.m()
                    + " has no hash in an algorithm this verifier implements");
        }
        return new Version(instance, headerHashes, bodies);
    }

    // -06 11.7: every known hash must match; one failing is a failure.
    private void compare(Version version) {
        int m = version.instance().m();
        if (version.headerHashes().isEmpty()) {
            instanceResults.put(m, new Dkim2Result.Instance(m, Dkim2Result.Check.FAIL, "no known hash"));
            return;
        }
        for (Map.Entry<String, byte[]> header : version.headerHashes().entrySet()) {
            InstanceHash recorded = version.instance().hash(header.getKey()).orElseThrow();
            String reason = null;
            if (!MessageDigest.isEqual(recorded.headerHash(), header.getValue())) {
                reason = "Message Instance m=" + m + " header hash " + header.getKey() + " mismatch";
            } else if (!MessageDigest.isEqual(recorded.bodyHash(), version.bodies().get(header.getKey()).finish().digest())) {
                reason = "Message Instance m=" + m + " body hash " + header.getKey() + " mismatch";
            }
            if (reason != null) {
                add(signerOf(m), Dkim2Verdict.FAIL, reason);
                instanceResults.put(m, new Dkim2Result.Instance(m, Dkim2Result.Check.FAIL, reason));
                return;
            }
        }
        instanceResults.put(m, new Dkim2Result.Instance(m, Dkim2Result.Check.PASS, ""));
    }

    /** The first signature that names instance m (authres-00 3.2.2 attributes instance failures to it). */
    private int signerOf(int m) {
        return chain.signatures().stream().filter(sig -> sig.m() == m).mapToInt(Dkim2Signature::i).findFirst().orElse(0);
    }

    private void notChecked(int upTo, Dkim2Result.Check check, String reason) {
        for (int m = 1; m <= upTo; m++) {
            instanceResults.put(m, new Dkim2Result.Instance(m, check, reason));
        }
    }

    private Dkim2Result result() {
        Map<String, HopCheck.KeyAnswer> answers = new HashMap<>();
        lookups.forEach((name, future) -> answers.put(name, future.join()));
        List<Dkim2Result.Hop> hops = new ArrayList<>();
        List<Problem> all = new ArrayList<>(problems);
        for (Dkim2Signature sig : chain.signatures()) {
            Dkim2Result.Hop hop = HopCheck.check(sig, chain, answers);
            if (hop.verdict() != Dkim2Verdict.PASS) {
                all.add(new Problem(sig.i(), hop.verdict(), hop.reason()));
            }
            Problem worst = gravest(all.stream().filter(p -> p.hop() == sig.i()).toList());
            hops.add(worst == null ? hop : new Dkim2Result.Hop(hop.i(), hop.m(), hop.domain(), hop.mailFrom(), hop.rcptTo(),
                    hop.nextDomain(), hop.timestamp(), hop.flags(), worst.verdict(), worst.reason(), hop.sigSets()));
        }
        List<Dkim2Result.Instance> instances = new ArrayList<>();
        for (int m = 1; m <= chain.highestInstance(); m++) {
            Dkim2Result.Instance checked = instanceResults.get(m);
            EarlierVersions.Stage stage = stageOf.get(m);
            instances.add(stage == null || checked == null ? checked
                    : new Dkim2Result.Instance(m, checked.check(), checked.reason(), stage.changes()));
        }
        // -06 11.8, the header half: a later hop removed or changed a header field (adding one is no
        // modification of what was signed). Only the recipes tell which, so it is judged here.
        for (Dkim2Signature sig : chain.signatures()) {
            if (sig.hasFlag(Dkim2Wire.DONOTMODIFY) && instances.stream().filter(x -> x != null && x.m() > sig.m())
                    .flatMap(x -> x.changes().stream())
                    .anyMatch(c -> c.startsWith("removed header ") || c.startsWith("changed header "))) {
                all.add(new Problem(0, Dkim2Verdict.FAIL, "Message has been modified despite a donotmodify request (i="
                        + sig.i() + ")"));
            }
        }
        Dkim2Signature newest = chain.newestSignature();
        Optional<Dkim2Result.Transmission> transmission = Optional.of(new Dkim2Result.Transmission(
                chain.instances().get(0).hashes(), newest.i(), newest.domain(), newest.sigSets(), envelope));
        Problem worst = gravest(all);
        if (worst != null) {
            return new Dkim2Result(worst.verdict(), worst.reason(), worst.hop(), hops, instances, transmission);
        }
        String note = instances.stream().filter(x -> x.check() != Dkim2Result.Check.PASS).map(Dkim2Result.Instance::reason)
                .findFirst().orElse("");
        return new Dkim2Result(Dkim2Verdict.PASS, note, 0, hops, instances, transmission);
    }

    private static Problem gravest(List<Problem> list) {
        for (Dkim2Verdict verdict : List.of(Dkim2Verdict.PERMERROR, Dkim2Verdict.FAIL, Dkim2Verdict.TEMPERROR)) {
            for (Problem p : list) {
                if (p.verdict() == verdict) {
                    return p;
                }
            }
        }
        return null;
    }

    private void add(int hop, Dkim2Verdict verdict, String reason) {
        if (reason != null) {
            problems.add(new Problem(hop, verdict, reason));
        }
    }

    private CompletableFuture<HopCheck.KeyAnswer> lookup(String name) {
        try {
            return dns.txt(name).handle(HopCheck.KeyAnswer::new);
        } catch (RuntimeException e) {
            return CompletableFuture.completedFuture(new HopCheck.KeyAnswer(null, e));
        }
    }

    private static EarlierVersions.BodySink hashSink(Map<String, BodyHash> bodies) {
        return new EarlierVersions.BodySink() {
            @Override
            public void write(byte[] data, int offset, int length) {
                for (BodyHash hash : bodies.values()) {
                    hash.update(data, offset, length);
                }
            }

            @Override
            public void finish() {
                bodies.values().forEach(BodyHash::finish);
            }
        };
    }

    private static EarlierVersions.BodySink tee(EarlierVersions.BodySink a, EarlierVersions.BodySink b) {
        return new EarlierVersions.BodySink() {
            @Override
            public void write(byte[] data, int offset, int length) {
                a.write(data, offset, length);
                b.write(data, offset, length);
            }

            @Override
            public void finish() {
                a.finish();
                b.finish();
            }
        };
    }

    private final class Listener implements MessageReader.Listener {
        @Override
        public void headers(List<HeaderField> fields) {
            headersComplete(fields);
        }

        @Override
        public void body(byte[] data, int offset, int length) {
            if (body != null) {
                body.write(data, offset, length);
            }
        }

        @Override
        public void headersTooLarge(int limit) {
            early = Dkim2Result.of(Dkim2Verdict.PERMERROR, "header section is longer than " + limit + " octets");
        }
    }
}
