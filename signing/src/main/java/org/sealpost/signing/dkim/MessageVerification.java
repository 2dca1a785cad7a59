package org.sealpost.signing.dkim;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.sealpost.dnssec.DnsAnswer;
import org.sealpost.dnssec.DnsResolver;

/**
 * The verification of one message while it arrives. Feed it with {@link #update} (CRLF line ends,
 * after dot-unstuffing), then call {@link #finish}. Key lookups start as soon as the header section
 * is complete and run while the body streams through the hashes; only the header section is kept.
 * Not thread-safe: one connection feeds it; the returned future may complete on a DNS thread.
 */
public final class MessageVerification {

    private final DnsResolver dns;
    private final VerifierOptions options;
    private final MessageReader reader;
    private final List<Pending> pending = new ArrayList<>();
    /** Signatures with the same canonicalization, hash and l= share one body hash. */
    private final Map<String, BodyHash> bodies = new LinkedHashMap<>();
    private final Map<String, CompletableFuture<DnsAnswer<String>>> lookups = new HashMap<>();
    private List<HeaderField> fields = List.of();
    private DkimResult headerError;
    private boolean finished;

    /** One signature: either already judged ({@code ready}), or waiting for its key and body hash. */
    private record Pending(DkimSignature signature, DkimResult ready, BodyHash body,
            CompletableFuture<DnsAnswer<String>> key) {
    }

    MessageVerification(DnsResolver dns, VerifierOptions options) {
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

    /** Ends the message; the results come in the order of the signatures, top first. */
    public CompletableFuture<List<DkimResult>> finish() {
        checkOpen();
        reader.finish();
        finished = true;
        if (headerError != null) {
            return CompletableFuture.completedFuture(List.of(headerError));
        }
        List<CompletableFuture<DkimResult>> results = new ArrayList<>();
        for (Pending p : pending) {
            if (p.ready() != null) {
                results.add(CompletableFuture.completedFuture(p.ready()));
            } else {
                BodyHash.Result body = p.body().finish();
                List<HeaderField> headers = fields;
                results.add(p.key().handle((answer, error) ->
                        SignatureCheck.check(p.signature(), headers, answer, error, body, options.legacy())));
            }
        }
        return CompletableFuture.allOf(results.toArray(CompletableFuture[]::new))
                .thenApply(done -> results.stream().map(CompletableFuture::join).toList());
    }

    /** Octets this verification holds: the header buffer and the per-hash buffers; bounded, whatever the body. */
    long retainedBytes() {
        return reader.retainedBytes() + (long) bodies.size() * 8192;
    }

    private void checkOpen() {
        if (finished) {
            throw new IllegalStateException("verification already finished");
        }
    }

    private void headersComplete(List<HeaderField> headerFields) {
        fields = List.copyOf(headerFields);
        Instant now = options.clock().instant();
        int seen = 0;
        for (HeaderField field : fields) {
            if (!field.is(DkimSignature.HEADER)) {
                continue;
            }
            if (++seen > options.maxSignatures()) {
                pending.add(new Pending(null, DkimResult.unparsed(Verdict.NEUTRAL, "not evaluated: more than "
                        + options.maxSignatures() + " signatures", field), null, null));
                continue;
            }
            try {
                DkimSignature sig = DkimSignature.parse(field, options.legacy(), now, options.clockSkew());
                pending.add(new Pending(sig, null, body(sig), lookup(sig.keyName())));
            } catch (DkimPermanentError e) {
                pending.add(new Pending(null, DkimResult.unparsed(Verdict.PERMERROR, e.getMessage(), field), null, null));
            }
        }
    }

    private BodyHash body(DkimSignature sig) {
        String key = sig.bodyCanonicalization() + "/" + sig.algorithm().digest + "/" + sig.bodyLength();
        return bodies.computeIfAbsent(key, k -> new BodyHash(sig.bodyCanonicalization(), sig.algorithm().digest,
                sig.bodyLength()));
    }

    private CompletableFuture<DnsAnswer<String>> lookup(String name) {
        return lookups.computeIfAbsent(Canonicalization.asciiLower(name), n -> {
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
            headerError = DkimResult.message(Verdict.PERMERROR, "header section is longer than " + limit + " octets");
        }
    }
}
