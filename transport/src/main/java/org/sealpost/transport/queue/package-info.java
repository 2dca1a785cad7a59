/**
 * The durable queue: {@link org.sealpost.transport.queue.MailQueue} stores each accepted message
 * in a file synced before the 250 reply, schedules delivery attempts per recipient domain through
 * a {@link org.sealpost.transport.queue.Deliverer}, retries with backoff, and returns RFC 3464
 * reports. The envelope types ({@link org.sealpost.transport.queue.Envelope},
 * {@link org.sealpost.transport.queue.Recipient}) are shared with the SMTP server and client.
 * {@link org.sealpost.transport.queue.QueueDirectory} locks the queue_directory against a second
 * relay and keeps it owner-only. docs/queue.md describes the files.
 */
package org.sealpost.transport.queue;
