package org.sealpost.signing.arc;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.sealpost.dnssec.DnsAnswer;
import org.sealpost.dnssec.DnsResolver;
import org.sealpost.signing.dkim.BodyHash;
import org.sealpost.signing.dkim.Canonicalization;
import org.sealpost.signing.dkim.HeaderField;
import org.sealpost.signing.dkim.MessageReader;
import org.sealpost.signing.dkim.VerifierOptions;

/**
 * The ARC validation of one message while it arrives, shaped as DKIM's
 * {@link org.sealpost.signing.dkim.MessageVerification}: feed it with {@link #update} (CRLF line ends,
 * after dot-unstuffing), then {@link #finish}. When the header section is complete the structure is
 * checked and every key lookup starts; the body streams through one hash per canonicalization and is
 * never kept. Not thread-safe; the future may complete on a DNS thread.
 */
public final class ArcVerification {

    private final DnsResolver dns;
    private final VerifierOptions options;
    private final MessageReader reader;
    private final Map<String, BodyHash> bodies = new LinkedHashMap<>();
    private final Map<String, CompletableFuture<DnsAnswer<String>>> lookups = new HashMap<>();
    private List<HeaderField> fields = List.of();
    private ArcChain chain;
    private String headerError;
    private boolean finished;

    ArcVerification(DnsResolver dns, VerifierOptions options) {
        this.dns = dns;
        this.options = options;
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

    /** Ends the message; completes with the chain's result (never exceptionally). */
    public CompletableFuture<ArcResult> finish() {
        checkOpen();
        reader.finish();
        finished = true;
        if (headerError != null) {
            return CompletableFuture.completedFuture(ArcResult.fail(headerError));
        }
        if (chain.status() == ArcStatus.NONE) {
            return CompletableFuture.completedFuture(ArcResult.none());
        }
        if (chain.status() == ArcStatus.FAIL) {
            return CompletableFuture.completedFuture(ArcResult.fail(chain.reason()));
        }
        Map<String, BodyHash.Result> hashes = new HashMap<>();
        bodies.forEach((k, v) -> hashes.put(k, v.finish()));
        List<CompletableFuture<DnsAnswer<String>>> all = new ArrayList<>();
        for (ArcChain.ArcSet set : chain.sets()) {
            all.add(lookups.get(keyOf(set.messageSignature())));
            all.add(lookups.get(keyOf(set.seal())));
        }
        List<HeaderField> headers = fields;
        ArcChain sets = chain;
        return CompletableFuture.allOf(all.stream().map(f -> f.handle((a, e) -> null)).toArray(CompletableFuture[]::new))
                .thenApply(done -> new ChainCheck(sets, headers, hashes, this::answer, options.legacy()).run());
    }

    /** Octets this validation holds: the header buffer and the per-hash buffers; bounded, whatever the body. */
    long retainedBytes() {
        return reader.retainedBytes() + (long) bodies.size() * 8192;
    }

    private ChainCheck.Answer answer(ArcSignature sig) {
        CompletableFuture<DnsAnswer<String>> f = lookups.get(keyOf(sig));
        try {
            return new ChainCheck.Answer(f.join(), null);
        } catch (RuntimeException e) {
            return new ChainCheck.Answer(null, e);
        }
    }

    private void checkOpen() {
        if (finished) {
            throw new IllegalStateException("verification already finished");
        }
    }

    private void headersComplete(List<HeaderField> headerFields) {
        fields = List.copyOf(headerFields);
        chain = ArcChain.read(fields, options.legacy(), options.clock().instant(), options.clockSkew());
        for (ArcChain.ArcSet set : chain.sets()) {
            ArcSignature ams = set.messageSignature();
            bodies.computeIfAbsent(ChainCheck.bodyKey(ams), k -> new BodyHash(ams.bodyCanonicalization(),
                    ams.algorithm().digest(), -1));
            lookup(ams);
            lookup(set.seal());
        }
    }

    private static String keyOf(ArcSignature sig) {
        return Canonicalization.asciiLower(sig.keyName());
    }

    private void lookup(ArcSignature sig) {
        lookups.computeIfAbsent(keyOf(sig), n -> {
            try {
                return dns.txt(n);
            } catch (RuntimeException e) {
                return CompletableFuture.failedFuture(e);
            }
        });
    }

    private final class Listener implements MessageReader.Listener {
        @Override
        public void headers(List<HeaderField> headerFields) {
            headersComplete(headerFields);
        }

        @Override
        public void body(byte[] data, int offset, int length) {
            for (BodyHash hash : bodies.values()) {
                hash.update(data, offset, length);
            }
        }

        @Override
        public void headersTooLarge(int limit) {
            headerError = "header section is longer than " + limit + " octets";
        }
    }
}
