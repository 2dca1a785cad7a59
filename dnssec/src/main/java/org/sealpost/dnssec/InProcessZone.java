package org.sealpost.dnssec;

import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import org.xbill.DNS.DClass;
import org.xbill.DNS.DNSKEYRecord;
import org.xbill.DNS.DNSSEC;
import org.xbill.DNS.DSRecord;
import org.xbill.DNS.EDNSOption;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Master;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.RRSIGRecord;
import org.xbill.DNS.RRset;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Resolver;
import org.xbill.DNS.Section;
import org.xbill.DNS.TSIG;
import org.xbill.DNS.Type;

/**
 * A zone signed in memory and answered without a network: for fast tests and the demo. One
 * ECDSA P-256 key signs every RRset; {@link #trustAnchor()} is its DS. Positive answers and
 * CNAME chains inside the zone validate; denials carry no NSEC proof, so they are not SECURE
 * (the Knot lab covers proven denials).
 */
public final class InProcessZone implements Resolver {

    private final Name origin;
    private final Map<Name, Map<Integer, RRset>> names = new LinkedHashMap<>();
    private final DNSKEYRecord key;
    private final String trustAnchor;

    private InProcessZone(Name origin, List<Record> records, Instant inception, Instant expiration)
            throws GeneralSecurityException, DNSSEC.DNSSECException {
        this.origin = origin;
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        KeyPair pair = generator.generateKeyPair();
        this.key = new DNSKEYRecord(origin, DClass.IN, 3600, DNSKEYRecord.Flags.ZONE_KEY | DNSKEYRecord.Flags.SEP_KEY,
                DNSKEYRecord.Protocol.DNSSEC, DNSSEC.Algorithm.ECDSAP256SHA256, pair.getPublic());
        List<Record> all = new ArrayList<>(records);
        all.add(key);
        for (Record record : all) {
            names.computeIfAbsent(record.getName(), n -> new LinkedHashMap<>())
                    .computeIfAbsent(record.getType(), t -> new RRset()).addRR(record);
        }
        for (Map<Integer, RRset> types : names.values()) {
            for (RRset rrset : types.values()) {
                rrset.addRR(DNSSEC.sign(rrset, key, pair.getPrivate(), inception, expiration));
            }
        }
        this.trustAnchor = new DSRecord(origin, DClass.IN, 3600, DNSSEC.Digest.SHA256, key).toString();
    }

    /** Signs the records of zone-file text (with $ORIGIN and $TTL as needed), valid for 30 days from now. */
    public static InProcessZone signed(String origin, String zoneText) throws IOException {
        return signed(origin, zoneText, Instant.now().minus(Duration.ofDays(1)), Instant.now().plus(Duration.ofDays(30)));
    }

    /** The same with a given validity period (a past one makes an expired zone). */
    public static InProcessZone signed(String origin, String zoneText, Instant inception, Instant expiration)
            throws IOException {
        Name name = Name.fromString(origin.endsWith(".") ? origin : origin + ".");
        List<Record> records = new ArrayList<>();
        try (Master master = new Master(new java.io.ByteArrayInputStream(zoneText.getBytes(
                java.nio.charset.StandardCharsets.UTF_8)), name, 3600)) {
            for (Record record = master.nextRecord(); record != null; record = master.nextRecord()) {
                records.add(record);
            }
        }
        try {
            return new InProcessZone(name, records, inception, expiration);
        } catch (GeneralSecurityException | DNSSEC.DNSSECException e) {
            throw new IOException("cannot sign the in-process zone " + origin + ": " + e.getMessage(), e);
        }
    }

    /** The DS record of the zone's key, for {@link TrustAnchors}. */
    public String trustAnchor() {
        return trustAnchor;
    }

    /** A validating resolver that asks this zone, trusting only its key. */
    public DnsResolver validatingResolver() throws IOException {
        return ValidatingDnsResolver.over(this, TrustAnchors.of(trustAnchor));
    }

    /** Replaces one record's data but keeps the old signature: the answer turns BOGUS. */
    public void tamper(String zoneLine) throws IOException {
        Record forged;
        try (Master master = new Master(new java.io.ByteArrayInputStream(zoneLine.getBytes(
                java.nio.charset.StandardCharsets.UTF_8)), origin, 3600)) {
            forged = master.nextRecord();
        }
        RRset rrset = names.get(forged.getName()).get(forged.getType());
        List<RRSIGRecord> signatures = rrset.sigs();
        RRset replaced = new RRset(forged);
        signatures.forEach(replaced::addRR);
        names.get(forged.getName()).put(forged.getType(), replaced);
    }

    @Override
    public CompletionStage<Message> sendAsync(Message query, Executor executor) {
        Record question = query.getQuestion();
        Message response = new Message(query.getHeader().getID());
        response.getHeader().setFlag(Flags.QR);
        response.getHeader().setFlag(Flags.AA);
        response.addRecord(question, Section.QUESTION);
        Name name = question.getName();
        for (int hops = 0; hops < 8; hops++) {
            Map<Integer, RRset> types = names.get(name);
            if (types == null) {
                if (hops == 0) {
                    response.getHeader().setRcode(Rcode.NXDOMAIN);
                }
                break;
            }
            RRset exact = types.get(question.getType());
            RRset alias = types.get(Type.CNAME);
            RRset found = exact != null ? exact : alias;
            if (found == null) {
                break; // NODATA
            }
            found.rrs().forEach(r -> response.addRecord(r, Section.ANSWER));
            found.sigs().forEach(r -> response.addRecord(r, Section.ANSWER));
            if (exact != null) {
                break;
            }
            name = ((org.xbill.DNS.CNAMERecord) alias.first()).getTarget();
        }
        return CompletableFuture.completedFuture(response);
    }

    @Override
    public CompletionStage<Message> sendAsync(Message query) {
        return sendAsync(query, Runnable::run);
    }

    @Override
    public void setPort(int port) {
    }

    @Override
    public void setTCP(boolean flag) {
    }

    @Override
    public void setIgnoreTruncation(boolean flag) {
    }

    @Override
    public void setEDNS(int version, int payloadSize, int flags, List<EDNSOption> options) {
    }

    @Override
    public void setTSIGKey(TSIG key) {
    }

    @Override
    public void setTimeout(Duration timeout) {
    }
}
