package org.sealpost.transport.smtp.server;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Splits the byte stream into SMTP input: command lines, DATA content up to the one true end
 * (CRLF.CRLF, RFC 5321 4.1.1.4), or the exact octets of a BDAT chunk (RFC 3030). The session
 * switches the mode; it can also pause decoding while a reply is pending, so that pipelined input
 * waits in the buffer and is decoded in the mode that is right when its turn comes.
 */
final class SmtpDecoder extends ByteToMessageDecoder {

    private enum Mode { COMMAND, DATA, CHUNK }

    /** Content without a line end is passed on in pieces of this size, never buffered whole. */
    private static final int CONTENT_PIECE = 64 * 1024;

    private final int commandLineLimit;
    private final CharsetDecoder strictUtf8 = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
    private Mode mode = Mode.COMMAND;
    private boolean paused;
    private boolean discardingLongCommand;
    private boolean atLineStart = true;
    private long chunkLeft;

    SmtpDecoder(int commandLineLimit) {
        this.commandLineLimit = commandLineLimit;
    }

    void expectData() {
        mode = Mode.DATA;
        atLineStart = true;
    }

    void expectChunk(long size) {
        mode = Mode.CHUNK;
        chunkLeft = size;
    }

    void pause(ChannelHandlerContext ctx) {
        paused = true;
        ctx.channel().config().setAutoRead(false);
    }

    /** Decodes what waited in the buffer, then reads from the socket again. */
    void resume(ChannelHandlerContext sessionContext) {
        paused = false;
        ChannelHandlerContext ctx = sessionContext.pipeline().context(this);
        ByteBuf buffered = internalBuffer();
        if (buffered.isReadable()) {
            List<Object> out = new ArrayList<>();
            callDecode(ctx, buffered, out);
            // callDecode passes on all but what the last decode produced: that is ours to pass on.
            for (Object decoded : out) {
                ctx.fireChannelRead(decoded);
            }
        }
        if (!paused) {
            sessionContext.channel().config().setAutoRead(true);
        }
    }

    /** STARTTLS: plaintext that followed the command must never be read as if it came inside TLS. */
    void discardBuffered() {
        ByteBuf buffered = internalBuffer();
        buffered.skipBytes(buffered.readableBytes());
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (paused) {
            return;
        }
        switch (mode) {
            case COMMAND -> command(in, out);
            case DATA -> data(in, out);
            case CHUNK -> chunk(in, out);
        }
    }

    private void command(ByteBuf in, List<Object> out) {
        int lf = in.indexOf(in.readerIndex(), in.writerIndex(), (byte) '\n');
        if (discardingLongCommand) {
            if (lf < 0) {
                in.skipBytes(in.readableBytes());
            } else {
                in.readerIndex(lf + 1);
                discardingLongCommand = false;
                out.add(new SmtpInput.CommandTooLong());
            }
            return;
        }
        if (lf < 0) {
            if (in.readableBytes() > commandLineLimit) {
                discardingLongCommand = true;
                in.skipBytes(in.readableBytes());
            }
            return;
        }
        int length = lf + 1 - in.readerIndex();
        if (length > commandLineLimit) {
            in.readerIndex(lf + 1);
            out.add(new SmtpInput.CommandTooLong());
            return;
        }
        int end = lf > in.readerIndex() && in.getByte(lf - 1) == '\r' ? lf - 1 : lf;
        String line;
        try {
            // Strict: a malformed or overlong sequence is reported, not replaced with U+FFFD.
            line = strictUtf8.decode(in.nioBuffer(in.readerIndex(), end - in.readerIndex())).toString();
        } catch (CharacterCodingException e) {
            line = null;
        }
        in.readerIndex(lf + 1);
        out.add(line == null ? new SmtpInput.CommandNotUtf8() : new SmtpInput.Command(line));
    }

    private void data(ByteBuf in, List<Object> out) {
        while (in.isReadable()) {
            if (atLineStart && in.getByte(in.readerIndex()) == '.') {
                if (in.readableBytes() < 3) {
                    return; // ".", ".\r": the end or a stuffed dot, cannot tell yet
                }
                if (in.getByte(in.readerIndex() + 1) == '\r' && in.getByte(in.readerIndex() + 2) == '\n') {
                    in.skipBytes(3);
                    mode = Mode.COMMAND;
                    out.add(new SmtpInput.ContentEnd());
                    return;
                }
                in.skipBytes(1); // RFC 5321 4.5.2: remove the first dot of a line
                atLineStart = false;
            }
            int crlf = lineEnd(in);
            if (crlf < 0) {
                // No complete line: pass long runs on in pieces; never split a CR from its LF.
                int usable = in.readableBytes() - (in.getByte(in.writerIndex() - 1) == '\r' ? 1 : 0);
                if (usable >= CONTENT_PIECE) {
                    out.add(new SmtpInput.Content(in.readRetainedSlice(usable)));
                    atLineStart = false;
                }
                return;
            }
            out.add(new SmtpInput.Content(in.readRetainedSlice(crlf + 2 - in.readerIndex())));
            atLineStart = true;
        }
    }

    /** The index of the CR of the first CRLF, or -1. A bare LF does not end a line. */
    private static int lineEnd(ByteBuf in) {
        int from = in.readerIndex();
        while (true) {
            int lf = in.indexOf(from, in.writerIndex(), (byte) '\n');
            if (lf < 0) {
                return -1;
            }
            if (lf > in.readerIndex() && in.getByte(lf - 1) == '\r') {
                return lf - 1;
            }
            from = lf + 1;
        }
    }

    private void chunk(ByteBuf in, List<Object> out) {
        int n = (int) Math.min(in.readableBytes(), chunkLeft);
        if (n > 0) {
            out.add(new SmtpInput.Content(in.readRetainedSlice(n)));
            chunkLeft -= n;
        }
        if (chunkLeft == 0) {
            mode = Mode.COMMAND;
            out.add(new SmtpInput.ContentEnd());
        }
    }
}
