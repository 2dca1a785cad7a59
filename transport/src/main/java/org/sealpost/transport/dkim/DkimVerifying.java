package org.sealpost.transport.dkim;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.sealpost.signing.dkim.DkimResult;
import org.sealpost.signing.dkim.DkimVerifier;
import org.sealpost.signing.dkim.MessageVerification;
import org.sealpost.transport.queue.Additions;
import org.sealpost.transport.queue.Envelope;
import org.sealpost.transport.smtp.server.MessageFilter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Verifies the DKIM signatures of what an mx listener accepts, while it arrives (the body hash
 * streams; key lookups start when the header is complete), and keeps one RFC 8601 result per
 * signature with the message ("dkim=none" when it has none), for the verdict and the
 * Authentication-Results field of later steps. Nothing is refused here yet.
 */
public final class DkimVerifying implements MessageFilter {

    private static final Logger LOG = LoggerFactory.getLogger(DkimVerifying.class);

    private final DkimVerifier verifier;

    public DkimVerifying(DkimVerifier verifier) {
        this.verifier = verifier;
    }

    @Override
    public Run start(String queueId, Envelope envelope, String authUser) {
        MessageVerification verification = verifier.start();
        return new Run() {
            @Override
            public void accept(ByteBuffer content) {
                verification.update(content);
            }

            @Override
            public CompletableFuture<Outcome> finish() {
                return verification.finish().thenApply(results -> {
                    List<String> recorded = results.isEmpty() ? List.of("dkim=none")
                            : results.stream().map(DkimResult::toAuthenticationResults).toList();
                    recorded.forEach(result -> LOG.info("{}: {}", queueId, result));
                    return Outcome.accept(new Additions(List.of(), recorded));
                });
            }
        };
    }
}
