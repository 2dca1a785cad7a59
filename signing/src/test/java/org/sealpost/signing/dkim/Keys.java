package org.sealpost.signing.dkim;

/** Test keys, generated once per run: RSA-2048 (and 1024 for speed where size does not matter) and Ed25519. */
final class Keys {

    static final GeneratedKey RSA;
    static final GeneratedKey ED25519;

    static {
        try {
            RSA = DkimKeys.generate(KeyType.RSA, 2048);
            ED25519 = DkimKeys.generate(KeyType.ED25519, 0);
        } catch (Exception e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private Keys() {
    }

    static SigningKey rsa() {
        return new SigningKey("example.com", "rsa", KeyType.RSA, RSA.privateKey());
    }

    static SigningKey ed25519() {
        return new SigningKey("example.com", "ed", KeyType.ED25519, ED25519.privateKey());
    }

    static FakeDns dns() {
        return new FakeDns().txt("rsa._domainkey.example.com", RSA.txtRecord())
                .txt("ed._domainkey.example.com", ED25519.txtRecord());
    }
}
