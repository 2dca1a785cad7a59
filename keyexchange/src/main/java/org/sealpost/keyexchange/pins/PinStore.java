package org.sealpost.keyexchange.pins;

import java.io.IOException;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.sealpost.cache.DurableStore;

/**
 * The pins, per MX host and port ("mx.example.net:25"): in memory for the delivery path, and in
 * the durable store so that they survive restarts and crashes. Safe under concurrent deliveries:
 * each update is a whole record written with one atomic rename.
 */
public final class PinStore {

    private final DurableStore durable;
    private final ConcurrentHashMap<String, Optional<Pin>> memory = new ConcurrentHashMap<>();

    public PinStore(DurableStore durable) {
        this.durable = durable;
    }

    public Optional<Pin> get(String hostPort) {
        return memory.computeIfAbsent(hostPort, key -> {
            try {
                Optional<byte[]> stored = durable.get(key);
                return stored.isEmpty() ? Optional.empty() : Optional.of(Pin.decode(stored.get()));
            } catch (IOException | InvalidKeySetException e) {
                // An unreadable pin is set aside by the store; the host is met as a first contact.
                return Optional.empty();
            }
        });
    }

    /** Records a pin durably, then in memory. */
    public void put(String hostPort, Pin pin) throws IOException {
        durable.put(hostPort, pin.encode());
        memory.put(hostPort, Optional.of(pin));
    }

    /** Removes a pin (`sealpost pins forget HOST`): the next contact is a first contact. */
    public boolean forget(String hostPort) throws IOException {
        memory.remove(hostPort);
        return durable.remove(hostPort);
    }

    public List<String> hosts() throws IOException {
        return durable.keys();
    }
}
