package org.sealpost.transport.dkim;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import org.sealpost.signing.arc.ArcSealer;
import org.sealpost.signing.arc.ArcSealing;
import org.sealpost.signing.arc.ArcStatus;
import org.sealpost.signing.authres.AuthenticationResultsPayload;
import org.sealpost.signing.dkim.SigningKey;
import org.sealpost.transport.queue.Additions;
import org.sealpost.transport.queue.Envelope;
import org.sealpost.transport.smtp.server.MessageFilter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Seals what a submission listener passes on when an mx listener of ours checked it on arrival
 * (arc_seal, docs/verification.md): a forward, an alias, a list. The topmost Authentication-Results
 * with our authserv-id becomes our ARC-Authentication-Results, and its arc= result, the chain state
 * on arrival, the cv= of our seal (RFC 8617 4.1.3, 5.1.1); the chain is not validated again, since a
 * list behind Postfix may have changed the message since. Sealing never refuses a message: one that
 * cannot be sealed goes on unsealed, with a log line.
 */
public final class ArcForwardSealing implements MessageFilter {

    private static final Logger LOG = LoggerFactory.getLogger(ArcForwardSealing.class);
    private static final int HEADER_LIMIT = 1 << 20;
    private static final List<String> ARC_FIELDS = List.of("arc-seal", "arc-message-signature",
            "arc-authentication-results");

    private final ArcSealer sealer;
    private final SigningKey key;
    private final String authservId;
    private final Executor crypto;

    /**
     * @param authservId the authserv-id our mx listeners write (authserv_id)
     * @param crypto where the private-key operation runs (never an event loop)
     */
    public ArcForwardSealing(SigningKey key, String authservId, Executor crypto) {
        this.sealer = new ArcSealer(key);
        this.key = key;
        this.authservId = authservId;
        this.crypto = crypto;
    }

    @Override
    public Run start(String queueId, Envelope envelope, String authUser) {
        return new Sealing(queueId);
    }

    /** Our Authentication-Results field as it came, and the arc= result it records. */
    private record Arrival(String field, ArcStatus cv) {
    }

    private final class Sealing implements Run {
        private final String queueId;
        private final HeaderSection header = new HeaderSection(HEADER_LIMIT);
        private ArcSealing sealing;
        private Arrival arrival;
        private String problem;

        Sealing(String queueId) {
            this.queueId = queueId;
        }

        @Override
        public void accept(ByteBuffer content) {
            if (!header.complete()) {
                ByteBuffer rest = header.take(content);
                if (!header.complete()) {
                    return;
                }
                decide();
                feed(ByteBuffer.wrap(header.octets()));
                content = rest;
            }
            feed(content);
        }

        private void feed(ByteBuffer content) {
            if (sealing == null) {
                return;
            }
            try {
                sealing.update(content);
            } catch (RuntimeException e) {
                problem = e.getMessage();
                sealing = null;
            }
        }

        /** Whether the message carries our results, and whether our set can go on top of what it has. */
        private void decide() {
            if (header.tooLarge()) {
                LOG.info("{}: not ARC-sealed: header section over {} octets", queueId, HEADER_LIMIT);
                return;
            }
            boolean arcAbove = false;
            for (String field : header.fields()) {
                String name = name(field);
                if (ARC_FIELDS.contains(name)) {
                    arcAbove = true;
                } else if (name.equals("authentication-results")) {
                    AuthenticationResultsPayload payload = AuthenticationResultsPayload.parse(value(field));
                    if (payload.claims(authservId)) {
                        arrival(field, payload, arcAbove);
                        return;
                    }
                }
            }
            LOG.debug("{}: not ARC-sealed: no Authentication-Results from {}", queueId, authservId);
        }

        private void arrival(String field, AuthenticationResultsPayload payload, boolean arcAbove) {
            if (arcAbove) {
                // Our mx listener puts its field on top of what arrived: an ARC set above it was added after our
                // checks (a list behind Postfix that seals), and our arc= result says nothing about that set.
                LOG.info("{}: not ARC-sealed: an ARC set above our Authentication-Results was added after our checks",
                        queueId);
                return;
            }
            ArcStatus cv = switch (payload.result("arc").orElse("")) {
                case "none" -> ArcStatus.NONE;
                case "pass" -> ArcStatus.PASS;
                case "fail" -> ArcStatus.FAIL;
                default -> null;
            };
            if (cv == null) {
                LOG.info("{}: not ARC-sealed: our Authentication-Results carry no arc=none, pass or fail", queueId);
                return;
            }
            arrival = new Arrival(field, cv);
            sealing = sealer.start();
        }

        @Override
        public CompletableFuture<Outcome> finish() {
            if (!header.complete()) {
                decide(); // a message of header fields only
                feed(ByteBuffer.wrap(header.octets()));
            }
            if (arrival == null) {
                return CompletableFuture.completedFuture(Outcome.accept(Additions.NONE));
            }
            if (sealing == null) {
                return unsealed(problem);
            }
            ArcSealing finishing = sealing;
            try {
                return CompletableFuture.supplyAsync(() -> seal(finishing), crypto);
            } catch (RejectedExecutionException e) {
                return unsealed("no thread for the signature (" + e.getMessage() + ")");
            }
        }

        private Outcome seal(ArcSealing finishing) {
            ArcSealing.Seal seal;
            try {
                seal = finishing.finish(arrival.cv(), arrival.field());
            } catch (IllegalArgumentException e) {
                // What RFC 8617 does not let us seal (50 sets, a chain already ended by cv=fail): not a fault.
                LOG.info("{}: not ARC-sealed: {}", queueId, e.getMessage().replaceFirst("^cannot seal: ", ""));
                return Outcome.accept(Additions.NONE);
            } catch (RuntimeException e) {
                return unsealed(e.getMessage()).join();
            }
            LOG.info("{}: ARC-Seal added (i={}, cv={}, d={}, s={}){}", queueId, seal.instance(), seal.cv().tag(),
                    key.domain(), key.selector(), seal.note().isEmpty() ? "" : ": " + seal.note());
            // The signer reads one char per octet; the queue writes fields as UTF-8: give back the octets it read.
            String fields = new String(seal.fields().getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8);
            return Outcome.accept(new Additions(List.of(fields), List.of()));
        }

        private CompletableFuture<Outcome> unsealed(String why) {
            LOG.warn("warning: {}: not ARC-sealed: {}; sent on unsealed", queueId, why);
            return CompletableFuture.completedFuture(Outcome.accept(Additions.NONE));
        }
    }

    private static String name(String field) {
        int colon = field.indexOf(':');
        return colon < 0 ? "" : field.substring(0, colon).strip().toLowerCase(Locale.ROOT);
    }

    private static String value(String field) {
        return field.substring(field.indexOf(':') + 1);
    }
}
