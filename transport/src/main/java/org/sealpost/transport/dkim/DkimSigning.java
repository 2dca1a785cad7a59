package org.sealpost.transport.dkim;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import org.sealpost.signing.dkim.DkimSigner;
import org.sealpost.signing.dkim.MessageSigning;
import org.sealpost.signing.dkim.SignerOptions;
import org.sealpost.signing.dkim.SigningKey;
import org.sealpost.transport.queue.Additions;
import org.sealpost.transport.queue.Envelope;
import org.sealpost.transport.sasl.SenderLogins;
import org.sealpost.transport.smtp.server.MessageFilter;
import org.sealpost.transport.metrics.Metrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Signs what a submission listener accepts (docs/dkim.md): the From address picks the key (a
 * per-user key first, then the domain's), a client that logged in must own that address in the
 * sender login map (otherwise 5.7.1 and no signature), and the DKIM-Signature is stored with the
 * message to go out before it. Mail from a domain without a key passes unsigned.
 */
public final class DkimSigning implements MessageFilter {

    private static final Logger LOG = LoggerFactory.getLogger(DkimSigning.class);
    private static final int HEADER_LIMIT = 1 << 20;

    private final Map<String, List<SigningKey>> domainKeys;
    private final Map<String, List<SigningKey>> userKeys;
    private final boolean identities;
    private final SenderLogins logins;
    private final Executor crypto;
    private final Metrics metrics;

    /**
     * @param identities whether every signature carries i= with the From address (per-user keys always do)
     * @param logins which login owns which address; null when no client logs in
     * @param crypto where the private-key operation runs (never an event loop)
     */
    public DkimSigning(Map<String, List<SigningKey>> domainKeys, Map<String, List<SigningKey>> userKeys, boolean identities,
            SenderLogins logins, Executor crypto) {
        this(domainKeys, userKeys, identities, logins, crypto, Metrics.none());
    }

    /** The same, counting the messages signed in {@code metrics}. */
    public DkimSigning(Map<String, List<SigningKey>> domainKeys, Map<String, List<SigningKey>> userKeys, boolean identities,
            SenderLogins logins, Executor crypto, Metrics metrics) {
        this.metrics = metrics;
        this.domainKeys = Map.copyOf(domainKeys);
        this.userKeys = Map.copyOf(userKeys);
        this.identities = identities;
        this.logins = logins;
        this.crypto = crypto;
    }

    /** The domains signed for, with their keys (for the XKEYS key set). */
    public Map<String, List<SigningKey>> domainKeys() {
        return domainKeys;
    }

    @Override
    public Run start(String queueId, Envelope envelope, String authUser) {
        return new Signing(queueId, authUser);
    }

    private final class Signing implements Run {
        private final String queueId;
        private final String authUser;
        private final HeaderSection header = new HeaderSection(HEADER_LIMIT);
        private MessageSigning signing;
        private String refusal;
        private String signed;

        Signing(String queueId, String authUser) {
            this.queueId = queueId;
            this.authUser = authUser;
        }

        @Override
        public void accept(ByteBuffer content) {
            if (!header.complete()) {
                ByteBuffer rest = header.take(content);
                if (!header.complete()) {
                    return;
                }
                decide();
                if (signing != null) {
                    signing.update(header.octets());
                }
                content = rest;
            }
            if (signing != null) {
                signing.update(content);
            }
        }

        /** Picks the keys from the From field and checks that the client may use the address. */
        private void decide() {
            List<List<String>> from = header.fromAddresses();
            List<String> addresses = from.stream().flatMap(List::stream).toList();
            boolean ours = addresses.stream().anyMatch(a -> keys(a) != null);
            if (!ours) {
                return;
            }
            if (header.tooLarge()) {
                refusal = "552 5.3.4 Error: header section too large to sign";
                return;
            }
            if (from.size() != 1 || addresses.size() != 1) {
                // RFC 5322 3.6 and RFC 6376 8.14: one From field with one mailbox, or a reader cannot tell who signed.
                refusal = "550 5.7.1 Error: the message needs exactly one From address to be signed";
                return;
            }
            String address = addresses.get(0);
            if (!authUser.isEmpty() && (logins == null || !logins.owns(authUser, address))) {
                refusal = "550 5.7.1 <" + address + ">: From address not owned by user " + authUser + "; not signed";
                return;
            }
            List<SigningKey> keys = keys(address);
            boolean perUser = userKeys.containsKey(address);
            DkimSigner signer = new DkimSigner(keys, SignerOptions.defaults());
            signing = perUser || identities ? signer.start(address) : signer.start();
            signed = keys.stream().map(k -> "d=" + k.domain() + ", s=" + k.selector() + ", a=" + k.type().name()
                    .toLowerCase(java.util.Locale.ROOT)).toList() + (perUser || identities ? ", i=" + address : "");
        }

        private List<SigningKey> keys(String address) {
            List<SigningKey> keys = userKeys.get(address);
            return keys != null ? keys : domainKeys.get(address.substring(address.lastIndexOf('@') + 1));
        }

        @Override
        public CompletableFuture<Outcome> finish() {
            if (!header.complete()) {
                decide(); // a message of header fields only
                if (signing != null) {
                    signing.update(header.octets());
                }
            }
            if (refusal != null) {
                return CompletableFuture.completedFuture(Outcome.refuse(refusal));
            }
            if (signing == null) {
                return CompletableFuture.completedFuture(Outcome.accept(Additions.NONE));
            }
            MessageSigning finishing = signing;
            return CompletableFuture.supplyAsync(() -> {
                String fields = finishing.finish();
                LOG.info("{}: DKIM-Signature field added ({})", queueId, signed);
                metrics.dkimSigned();
                return Outcome.accept(new Additions(List.of(fields), List.of()));
            }, crypto);
        }
    }
}
