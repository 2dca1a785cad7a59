package org.sealpost.transport.smtp.client;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.sealpost.transport.smtp.server.RecipientCheck;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * recipient_verification = probe: asks the domain's next hop whether it takes a recipient, as
 * Postfix's reject_unverified_recipient does (MAIL FROM:&lt;&gt;, RCPT TO, RSET on a connection of the
 * delivery pool), and remembers the answer: a taken address for the positive lifetime, a refused
 * one for the negative lifetime, a probe that got no answer not at all. An answer that does not
 * come within the timeout defers the RCPT (450); the probe goes on and its answer is kept for the
 * client's next try.
 */
public final class RecipientProbe implements RecipientCheck {

    private static final Logger LOG = LoggerFactory.getLogger(RecipientProbe.class);

    /** What the next hop said of one address, and the reply our RCPT gives for it. */
    record Verdict(Kind kind, String reply) {
        enum Kind { ACCEPT, REFUSE, DEFER }

        Optional<String> answer() {
            return kind == Kind.ACCEPT ? Optional.empty() : Optional.of(reply);
        }
    }

    /** Settings: recipient_verification_positive_lifetime, _negative_lifetime, _timeout, _cache_size. */
    public record Settings(Duration positiveLifetime, Duration negativeLifetime, Duration timeout, long cacheSize) {
    }

    private final SmtpDeliverer deliverer;
    private final Settings settings;
    private final Cache<String, Verdict> answers;
    private final ConcurrentHashMap<String, CompletableFuture<Verdict>> running = new ConcurrentHashMap<>();

    RecipientProbe(SmtpDeliverer deliverer, Settings settings) {
        this.deliverer = deliverer;
        this.settings = settings;
        this.answers = Caffeine.newBuilder().maximumSize(settings.cacheSize()).expireAfter(new Expiry<String, Verdict>() {
            @Override
            public long expireAfterCreate(String key, Verdict verdict, long now) {
                return (verdict.kind() == Verdict.Kind.ACCEPT ? settings.positiveLifetime() : settings.negativeLifetime())
                        .toNanos();
            }

            @Override
            public long expireAfterUpdate(String key, Verdict verdict, long now, long current) {
                return expireAfterCreate(key, verdict, now);
            }

            @Override
            public long expireAfterRead(String key, Verdict verdict, long now, long current) {
                return current;
            }
        }).build();
    }

    @Override
    public CompletableFuture<Optional<String>> check(String address, String domain) {
        String key = address.toLowerCase(Locale.ROOT);
        Verdict known = answers.getIfPresent(key);
        if (known != null) {
            return CompletableFuture.completedFuture(known.answer());
        }
        // One probe per address at a time: clients that send to it meanwhile wait for the same answer.
        CompletableFuture<Verdict> mine = new CompletableFuture<>();
        CompletableFuture<Verdict> probe = running.putIfAbsent(key, mine);
        if (probe == null) {
            probe = mine;
            deliverer.probe(domain, address).whenComplete((verdict, failure) -> {
                Verdict done = failure == null ? verdict : new Verdict(Verdict.Kind.DEFER, "450 4.3.0 <" + address
                        + ">: Recipient address rejected: unverified address: local error: " + failure.getMessage());
                if (done.kind() != Verdict.Kind.DEFER) {
                    answers.put(key, done);
                }
                running.remove(key, mine);
                LOG.info("verify: <{}>: {}", address, done.kind() == Verdict.Kind.ACCEPT ? "deliverable" : done.reply());
                mine.complete(done);
            });
        }
        // Postfix's smtpd waits a few seconds for its verify service, then says the same.
        return probe.thenApply(Verdict::answer).completeOnTimeout(Optional.of("450 4.1.1 <" + address
                + ">: Recipient address rejected: unverified address: Address verification in progress"),
                settings.timeout().toMillis(), TimeUnit.MILLISECONDS);
    }

    /** The verdict on the next hop's replies to MAIL FROM:&lt;&gt; and RCPT TO (RCPT null when MAIL failed). */
    static Verdict verdict(String address, Target target, SmtpReply mail, SmtpReply rcpt) {
        SmtpReply decisive = rcpt == null ? mail : rcpt;
        String said = "host " + target.hostAddress() + " said: " + decisive.text() + " (in reply to "
                + (rcpt == null ? "MAIL FROM" : "RCPT TO") + " command)";
        if (decisive.positive()) {
            return new Verdict(Verdict.Kind.ACCEPT, "");
        }
        if (rcpt != null && decisive.code() >= 500) {
            // Postfix's reject_unverified_recipient: the next hop's own code and reason, behind ours.
            String code = decisive.enhancedCode().equals("5.0.0") ? "5.1.1" : decisive.enhancedCode();
            return new Verdict(Verdict.Kind.REFUSE, decisive.code() + " " + code + " <" + address
                    + ">: Recipient address rejected: undeliverable address: " + said);
        }
        // A temporary answer, or a next hop that refuses the null sender: never a reason to accept.
        return new Verdict(Verdict.Kind.DEFER, "450 4.1.1 <" + address
                + ">: Recipient address rejected: unverified address: " + said);
    }

    /** The verdict when no host answered: a deferral with the last reason. */
    static Verdict unreachable(String address, String enhancedCode, String reason) {
        String code = enhancedCode.startsWith("4.") ? enhancedCode : "4.4.1";
        return new Verdict(Verdict.Kind.DEFER, "450 " + code + " <" + address
                + ">: Recipient address rejected: unverified address: " + reason);
    }
}
