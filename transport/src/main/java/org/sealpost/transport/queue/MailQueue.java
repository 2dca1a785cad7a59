package org.sealpost.transport.queue;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.sealpost.transport.metrics.Metrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The durable queue: one file per message (docs/queue.md), synced before the 250 reply, delivery
 * attempts per recipient domain, retries with backoff, and a bounce report when a recipient
 * finally fails. All bookkeeping runs on one manager thread, so a message's state has one owner.
 */
public final class MailQueue implements MessageSink {

    private static final Logger LOG = LoggerFactory.getLogger(MailQueue.class);

    private final QueueSettings settings;
    private final Deliverer deliverer;
    private final Clock clock;
    private final Random random;
    private final Path temporary;
    private final Path active;
    private final Path corrupt;
    private final ExecutorService io;
    private final ExecutorService checks;
    private final ScheduledExecutorService manager;
    private final AtomicInteger queued = new AtomicInteger();
    private final Metrics metrics;
    private DirectorySync activeSync;

    // Owned by the manager thread.
    private final Map<String, Entry> messages = new HashMap<>();
    private final Queue<Runnable> waiting = new ArrayDeque<>();
    private int inFlight;
    private boolean closed;
    private final RunningQueue commands = new RunningQueue(this);

    /**
     * A message in memory: its file and what the current round of attempts has learned. While it
     * is busy (an attempt in progress, or its file being checked before one) a delete or hold is
     * only noted, and takes effect when the attempt ends: the file is never changed under a reader.
     */
    static final class Entry {
        StoredMessage message;
        final RecipientResult[] results;
        int outstanding;
        boolean checking;
        boolean gone;
        ScheduledFuture<?> timer;
        boolean holdAfter;
        boolean deleteAfter;
        boolean bounceAfter;

        Entry(StoredMessage message) {
            this.message = message;
            this.results = new RecipientResult[message.states().length];
        }

        boolean busy() {
            return outstanding > 0 || checking;
        }
    }

    public MailQueue(QueueSettings settings, Deliverer deliverer) {
        this(settings, deliverer, Metrics.none());
    }

    /** @param metrics where recipients that expire in the queue are counted */
    public MailQueue(QueueSettings settings, Deliverer deliverer, Metrics metrics) {
        this(settings, deliverer, Clock.systemUTC(), new Random(), metrics);
    }

    MailQueue(QueueSettings settings, Deliverer deliverer, Clock clock, Random random) {
        this(settings, deliverer, clock, random, Metrics.none());
    }

    MailQueue(QueueSettings settings, Deliverer deliverer, Clock clock, Random random, Metrics metrics) {
        this.metrics = metrics;
        this.settings = settings;
        this.deliverer = deliverer;
        this.clock = clock;
        this.random = random;
        this.temporary = settings.directory().resolve("incoming");
        this.active = settings.directory().resolve("active");
        this.corrupt = settings.directory().resolve("corrupt");
        this.io = Executors.newFixedThreadPool(4, runnable -> daemon(runnable, "queue-io"));
        // Reading files back before retries must not hold up the commits behind a 250 reply.
        this.checks = Executors.newSingleThreadExecutor(runnable -> daemon(runnable, "queue-check"));
        java.util.concurrent.ScheduledThreadPoolExecutor scheduler = new java.util.concurrent.ScheduledThreadPoolExecutor(1,
                runnable -> daemon(runnable, "queue-manager"));
        // At close the retries scheduled for later are dropped (they are on disk), so close waits only for what runs now.
        scheduler.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        scheduler.setRemoveOnCancelPolicy(true);
        this.manager = scheduler;
    }

    /**
     * Creates the folders, sets corrupt files aside, and schedules every message found. The
     * caller holds the directory's lock ({@link QueueDirectory}); a failure to create, read or
     * write the folders comes as a {@link QueueDirectoryException} saying what to do.
     */
    public void start() throws IOException {
        try {
            recover();
        } catch (IOException e) {
            throw QueueDirectoryException.of(settings.directory(), e);
        }
    }

    private void recover() throws IOException {
        OwnerOnly.createFolder(temporary);
        OwnerOnly.createFolder(active);
        OwnerOnly.createFolder(corrupt);
        activeSync = new DirectorySync(active);
        try (DirectoryStream<Path> files = Files.newDirectoryStream(temporary)) {
            for (Path file : files) {
                // Never acknowledged with 250: the client was told nothing and will send again.
                Files.deleteIfExists(file);
                LOG.info("removed unfinished queue file {} (its message was never acknowledged)", file.getFileName());
            }
        }
        List<StoredMessage> recovered = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(active)) {
            for (Path file : files) {
                try {
                    recovered.add(StoredMessage.of(file, QueueFile.read(file)));
                } catch (IOException e) {
                    setAside(file, e);
                }
            }
        }
        DirectorySync.sync(active);
        DirectorySync.sync(corrupt);
        if (!recovered.isEmpty()) {
            LOG.info("recovered {} queued messages from {}", recovered.size(), active);
        }
        recovered.forEach(this::committed);
    }

    /** A file that does not read back (at start or before a retry) goes to corrupt/: never deleted. */
    private void setAside(Path file, IOException why) throws IOException {
        Path aside = corrupt.resolve(file.getFileName());
        Files.move(file, aside, StandardCopyOption.REPLACE_EXISTING);
        LOG.warn("warning: queue file {} is unreadable ({}); moved to {}, nothing deleted: inspect it, "
                + "and requeue the message by hand if it can be saved", file.getFileName(), why.getMessage(), aside);
    }

    /** Stops scheduling attempts; attempts in flight get a moment to finish. Queued mail stays on disk. */
    public void close() {
        manager.execute(() -> closed = true);
        manager.shutdown();
        try {
            manager.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        manager.shutdownNow();
        io.shutdown();
        checks.shutdownNow();
        if (activeSync != null) {
            activeSync.close();
        }
    }

    /** Messages in the queue (received and not yet finished). */
    public int size() {
        return queued.get();
    }

    /**
     * When the oldest message in the queue arrived, empty when there is none. Asked of the manager
     * thread, which owns the messages; empty too when it does not answer within a second.
     */
    public Optional<Instant> oldestArrival() {
        try {
            return CompletableFuture.supplyAsync(() -> messages.values().stream()
                    .map(entry -> entry.message.envelope().arrival()).min(Instant::compareTo), manager)
                    .get(1, TimeUnit.SECONDS);
        } catch (RejectedExecutionException | java.util.concurrent.ExecutionException
                | java.util.concurrent.TimeoutException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    @Override
    public Incoming receive(Envelope envelope) throws IOException {
        String id = QueueId.next();
        return new SpoolWriter(id, envelope, temporary.resolve(id), active.resolve(id), io, activeSync, this::committed);
    }

    private void committed(StoredMessage message) {
        queued.incrementAndGet();
        Envelope envelope = message.envelope();
        LOG.info("{}: from=<{}>, size={}, nrcpt={}{} (queue active)", message.queueId(), envelope.sender(),
                message.size(), envelope.recipients().size(), envelope.requireTls() ? ", requiretls=yes" : "");
        manager.execute(() -> {
            Entry entry = new Entry(message);
            messages.put(message.queueId(), entry);
            QueueFile.Notes notes = message.notes();
            long wait = notes.nextAttempt - clock.millis();
            if (notes.held) {
                LOG.info("{}: on hold (sealpost queue release {} to deliver it)", message.queueId(), message.queueId());
            } else if (wait > 0) {
                schedule(entry, wait); // recovered: the retry time it was given before the restart
            } else {
                dispatch(entry);
            }
        });
    }

    /** One round of attempts: the pending recipients, one attempt per domain. */
    private void dispatch(Entry entry) {
        if (closed || entry.gone || entry.message.notes().held) {
            return;
        }
        char[] states = entry.message.states();
        Map<String, List<Integer>> byDomain = new LinkedHashMap<>();
        for (int i = 0; i < states.length; i++) {
            if (states[i] == QueueFile.PENDING) {
                byDomain.computeIfAbsent(entry.message.envelope().recipients().get(i).domain(), d -> new ArrayList<>()).add(i);
            }
        }
        if (byDomain.isEmpty()) {
            finish(entry);
            return;
        }
        entry.outstanding = byDomain.size();
        byDomain.forEach((domain, indexes) -> admit(() -> attempt(entry, domain, indexes)));
    }

    private void admit(Runnable attempt) {
        if (inFlight < settings.deliveryConcurrency()) {
            inFlight++;
            attempt.run();
        } else {
            waiting.add(attempt);
        }
    }

    private void attempt(Entry entry, String domain, List<Integer> indexes) {
        List<Recipient> all = entry.message.envelope().recipients();
        List<Recipient> recipients = indexes.stream().map(all::get).toList();
        CompletableFuture<List<RecipientResult>> results;
        try {
            results = entry.holdAfter || entry.deleteAfter ? notStarted(entry, indexes)
                    : deliverer.deliver(entry.message, domain, recipients);
        } catch (RuntimeException e) {
            results = CompletableFuture.failedFuture(e);
        }
        results.whenCompleteAsync((list, failure) -> {
            inFlight--;
            Runnable next = waiting.poll();
            if (next != null) {
                inFlight++;
                next.run();
            }
            record(entry, indexes, list, failure);
        }, manager);
    }

    /**
     * A hold or delete asked while this attempt waited for a free delivery slot: it does not start,
     * and its recipients keep the reason they had.
     */
    private static CompletableFuture<List<RecipientResult>> notStarted(Entry entry, List<Integer> indexes) {
        List<Recipient> all = entry.message.envelope().recipients();
        return CompletableFuture.completedFuture(indexes.stream().map(i -> new RecipientResult(all.get(i),
                DeliveryStatus.DEFERRED, "4.3.0", entry.message.notes().reasons[i].isEmpty() ? "not attempted: "
                        + (entry.holdAfter ? "held" : "deleted") + " by the administrator" : entry.message.notes().reasons[i],
                "", false)).toList());
    }

    private void record(Entry entry, List<Integer> indexes, List<RecipientResult> list, Throwable failure) {
        List<Recipient> all = entry.message.envelope().recipients();
        for (int index : indexes) {
            Recipient recipient = all.get(index);
            RecipientResult result = null;
            if (list != null) {
                for (RecipientResult candidate : list) {
                    if (candidate.recipient().equals(recipient)) {
                        result = candidate;
                        break;
                    }
                }
            }
            if (result == null) {
                String why = failure != null ? "internal error in delivery: " + failure : "no result for this recipient";
                LOG.error("{}: to=<{}>: {}", entry.message.queueId(), recipient.address(), why);
                result = new RecipientResult(recipient, DeliveryStatus.DEFERRED, "4.3.0", why, "", false);
            }
            entry.results[index] = result;
            entry.message.notes().reasons[index] = result.diagnostic();
            entry.message.states()[index] = switch (result.status()) {
                case DELIVERED -> QueueFile.DELIVERED;
                case BOUNCED -> QueueFile.BOUNCED;
                case DEFERRED -> QueueFile.PENDING;
            };
        }
        if (--entry.outstanding == 0) {
            roundDone(entry);
        }
    }

    private void roundDone(Entry entry) {
        QueueFile.Notes notes = entry.message.notes();
        notes.attempts++;
        if (entry.deleteAfter) {
            // Recipients this attempt delivered stay delivered: the message goes, nobody gets it twice.
            remove(entry, entry.bounceAfter);
            if (entry.gone) {
                return;
            }
            // the report could not be queued: the message stays, as if no delete had been asked
        }
        if (Files.notExists(entry.message.file())) {
            // Removed during the attempt: nothing left to record, retry or report on.
            removedByHand(entry.message);
            forget(entry);
            return;
        }
        char[] states = entry.message.states();
        Envelope envelope = entry.message.envelope();
        Duration lifetime = envelope.sender().isEmpty() ? settings.bounceLifetime() : settings.lifetime();
        boolean pending = false;
        for (char state : states) {
            pending |= state == QueueFile.PENDING;
        }
        if (pending && Duration.between(envelope.arrival(), Instant.now(clock)).compareTo(lifetime) >= 0) {
            for (int i = 0; i < states.length; i++) {
                if (states[i] == QueueFile.PENDING) {
                    RecipientResult last = entry.results[i];
                    states[i] = QueueFile.BOUNCED;
                    entry.results[i] = new RecipientResult(last.recipient(), DeliveryStatus.BOUNCED, last.enhancedCode(),
                            "delivery time expired; last attempt: " + last.diagnostic(), last.remoteMta(), last.remoteReply());
                    LOG.info("{}: to=<{}>, status=expired, returned to sender ({})", entry.message.queueId(),
                            last.recipient().address(), last.diagnostic());
                    metrics.expired();
                }
            }
            pending = false;
        }
        if (!pending) {
            finish(entry);
            return;
        }
        if (entry.holdAfter) {
            entry.holdAfter = false;
            notes.held = true;
            LOG.info("{}: held by the administrator", entry.message.queueId());
        }
        Duration delay = backoff(notes.attempts);
        notes.nextAttempt = notes.held ? 0 : clock.millis() + delay.toMillis();
        persist(entry);
        if (!notes.held) {
            schedule(entry, delay.toMillis());
        }
    }

    private void schedule(Entry entry, long millis) {
        entry.timer = manager.schedule(() -> retry(entry), millis, TimeUnit.MILLISECONDS);
    }

    private void unschedule(Entry entry) {
        if (entry.timer != null) {
            entry.timer.cancel(false);
            entry.timer = null;
        }
    }

    /** Writes states and notes into the file (never while an attempt reads it). */
    private void persist(Entry entry) {
        try {
            entry.message = entry.message.writeNotes(temporary.resolve(entry.message.queueId() + ".rewrite"));
        } catch (IOException e) {
            LOG.warn("warning: {}: cannot record recipient states ({}); finished recipients may be tried again",
                    entry.message.queueId(), e.getMessage());
        }
    }

    /**
     * The next round for a deferred message, once its file is checked as recovery checks it at
     * start: while queued it may have been removed (an operator's rm: the message is forgotten) or
     * damaged (set aside in corrupt/). Neither is tried again nor bounced. The check reads the
     * whole file, so it runs on its own thread.
     */
    private void retry(Entry entry) {
        entry.timer = null;
        if (closed || entry.gone || entry.busy()) {
            return;
        }
        CompletableFuture<Boolean> intact;
        StoredMessage message = entry.message;
        try {
            intact = CompletableFuture.supplyAsync(() -> intact(message), checks);
        } catch (RejectedExecutionException e) {
            return; // closing
        }
        entry.checking = true;
        intact.whenCompleteAsync((ok, failure) -> {
            entry.checking = false;
            if (Boolean.FALSE.equals(ok)) {
                forget(entry);
            } else if (entry.deleteAfter) {
                remove(entry, entry.bounceAfter);
                dispatch(entry); // nothing when removed; when the report could not be queued, the attempt it was due
            } else if (entry.holdAfter) {
                entry.holdAfter = false;
                holdNow(entry);
            } else {
                dispatch(entry); // an unexpected failure of the check itself is no reason to lose the message
            }
        }, manager);
    }

    /** Whether the file still reads back as committed; if not, says so in the log (and sets it aside). */
    private boolean intact(StoredMessage message) {
        try {
            message.verify();
            return true;
        } catch (NoSuchFileException e) {
            removedByHand(message);
        } catch (IOException e) {
            try {
                setAside(message.file(), e);
                DirectorySync.sync(corrupt);
            } catch (IOException moving) {
                LOG.warn("warning: queue file {} is unreadable ({}) and cannot be moved to {} ({}); it is not tried "
                        + "again until the next start", message.queueId(), e.getMessage(), corrupt, moving.getMessage());
            }
        }
        return false;
    }

    private static void removedByHand(StoredMessage message) {
        // Postfix's words for the same event: the file is gone, so is the message.
        LOG.info("{}: removed (queue file {} no longer exists)", message.queueId(), message.file());
    }

    private void forget(Entry entry) {
        if (!entry.gone) {
            entry.gone = true;
            unschedule(entry);
            messages.remove(entry.message.queueId());
            queued.decrementAndGet();
        }
    }

    /** Exponential backoff from the minimum, doubling per attempt up to the maximum, +-25% jitter. */
    Duration backoff(int attempts) {
        long min = settings.minBackoff().toMillis();
        long max = settings.maxBackoff().toMillis();
        long base = attempts >= 31 ? max : Math.min(max, min << Math.max(0, attempts - 1));
        double jitter = 0.75 + random.nextDouble() * 0.5;
        return Duration.ofMillis(Math.max(1, (long) (base * jitter)));
    }

    /** Every recipient is final: report failures to the sender, then remove the file. */
    private void finish(Entry entry) {
        StoredMessage message = entry.message;
        List<RecipientResult> failed = new ArrayList<>();
        for (int i = 0; i < entry.results.length; i++) {
            RecipientResult result = entry.results[i];
            if (message.states()[i] == QueueFile.BOUNCED && result != null && result.recipient().wantsFailureReport()) {
                failed.add(result);
            }
        }
        String withheld = failed.isEmpty() ? null : BounceReport.withheld(message);
        if (withheld != null) {
            LOG.info("{}: no sender non-delivery notification: {}", message.queueId(), withheld);
        }
        // RFC 3464 / RFC 5321 6.1: never a report about a report (null sender).
        if (!failed.isEmpty() && withheld == null && !message.envelope().sender().isEmpty()) {
            try {
                String reportId = queueReport(message, failed);
                LOG.info("{}: sender non-delivery notification: {}", message.queueId(), reportId);
            } catch (IOException | RuntimeException e) {
                LOG.error("{}: cannot queue the non-delivery notification ({}); the message stays queued and the "
                        + "report is tried again at the next start", message.queueId(), e.getMessage());
                return;
            }
        }
        try {
            // No fsync: should the removal be lost in a crash, the message is only delivered again.
            Files.deleteIfExists(message.file());
        } catch (IOException e) {
            LOG.warn("warning: {}: cannot remove the queue file: {}", message.queueId(), e.getMessage());
        }
        forget(entry);
        LOG.info("{}: removed", message.queueId());
    }

    private String queueReport(StoredMessage message, List<RecipientResult> failed) throws IOException {
        return BounceReport.queue(message, failed, settings, Instant.now(clock), this);
    }

    // The queue commands (docs/queue.md): RunningQueue answers them with these, on the manager thread.

    /** Runs one queue command of the control socket, on the manager thread, which owns the schedule. */
    public QueueReply control(QueueRequest request) {
        try {
            return CompletableFuture.supplyAsync(() -> request.apply(commands), manager).get(30, TimeUnit.SECONDS);
        } catch (RejectedExecutionException e) {
            return QueueReply.failed("the relay is stopping; try again when it has stopped");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return QueueReply.failed("interrupted");
        } catch (ExecutionException | TimeoutException e) {
            LOG.error("queue command '{}' failed: {}", request.line(), e.toString());
            return QueueReply.failed("the queue command failed in the relay (" + e + "); see its log");
        }
    }

    /** Every message in the queue. */
    java.util.Collection<Entry> entries() {
        return List.copyOf(messages.values());
    }

    /** The message with this id, or null when there is none (or it is deleted, waiting for its attempt to end). */
    Entry entry(String id) {
        Entry entry = messages.get(id);
        return entry == null || entry.deleteAfter ? null : entry;
    }

    /** Cancels the scheduled retry of a message that is not busy, and attempts it now. */
    void attemptNow(Entry entry) {
        unschedule(entry);
        retry(entry);
    }

    /** A flush asks for real attempts: the deliverer forgets the destinations it found unavailable. */
    void forgetUnavailable() {
        deliverer.forgetUnavailable();
    }

    /** Removes a message that is not busy for the administrator, with a report to its sender when asked. */
    String remove(Entry entry, boolean bounce) {
        StoredMessage message = entry.message;
        String report = "";
        List<RecipientResult> failed = bounce ? BounceReport.deleted(message, entry.results) : List.of();
        String withheld = failed.isEmpty() ? null : BounceReport.withheld(message);
        if (withheld != null) {
            report = "; no delivery status notification: " + withheld;
        } else if (!failed.isEmpty()) {
            try {
                String reportId = queueReport(message, failed);
                LOG.info("{}: sender non-delivery notification: {}", message.queueId(), reportId);
                report = "; delivery status notification " + reportId + " to <" + message.envelope().sender() + ">";
            } catch (IOException | RuntimeException e) {
                LOG.error("{}: cannot queue the non-delivery notification ({}); the message stays queued",
                        message.queueId(), e.getMessage());
                entry.deleteAfter = false; // whoever called goes on as if no delete had been asked
                return "not deleted: cannot queue the delivery status notification (" + e.getMessage() + ")";
            }
        }
        try {
            Files.deleteIfExists(message.file());
        } catch (IOException e) {
            LOG.warn("warning: {}: cannot remove the queue file: {}", message.queueId(), e.getMessage());
        }
        forget(entry);
        LOG.info("{}: removed (deleted by the administrator)", message.queueId());
        return "deleted" + report;
    }

    /** Postfix's hold: never attempted, and its queue lifetime does not run out while held (postsuper(1) -h). */
    void holdNow(Entry entry) {
        unschedule(entry);
        entry.message.notes().held = true;
        entry.message.notes().nextAttempt = 0;
        persist(entry);
        LOG.info("{}: held by the administrator", entry.message.queueId());
    }

    /** Takes a held message off hold and attempts it now. */
    void releaseNow(Entry entry) {
        entry.message.notes().held = false;
        entry.message.notes().nextAttempt = 0;
        persist(entry);
        LOG.info("{}: released from hold by the administrator", entry.message.queueId());
        retry(entry);
    }

    private static Thread daemon(Runnable runnable, String name) {
        Thread thread = new Thread(runnable, name);
        thread.setDaemon(true);
        return thread;
    }
}
