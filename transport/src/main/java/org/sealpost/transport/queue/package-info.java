/**
 * The durable queue: {@link org.sealpost.transport.queue.MailQueue} stores each accepted message
 * in a file synced before the 250 reply, schedules delivery attempts per recipient domain through
 * a {@link org.sealpost.transport.queue.Deliverer}, retries with backoff, and returns RFC 3464
 * reports. The envelope types ({@link org.sealpost.transport.queue.Envelope},
 * {@link org.sealpost.transport.queue.Recipient}) are shared with the SMTP server and client.
 * {@link org.sealpost.transport.queue.QueueDirectory} locks the queue_directory against a second
 * relay and keeps it owner-only. The queue commands ({@link org.sealpost.transport.queue.QueueRequest},
 * answered by a {@link org.sealpost.transport.queue.QueueReply}) run through
 * {@link org.sealpost.transport.queue.QueueControl}: over the running relay's
 * {@link org.sealpost.transport.queue.ControlSocket}, or on the files of a stopped one. docs/queue.md
 * describes the files and the commands.
 */
package org.sealpost.transport.queue;
