package org.sealpost.transport.smtp.client;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.codec.DecoderException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Reads SMTP replies, joining the lines of multi-line replies ("250-...", "250 ..."). */
final class ReplyDecoder extends ByteToMessageDecoder {

    private static final int LINE_LIMIT = 4096;
    /** Far above any real reply (an XKEYS key set at its limit takes under 300 lines). */
    private static final int LINES_PER_REPLY = 1000;

    private final List<String> lines = new ArrayList<>();

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        while (true) {
            int lf = in.indexOf(in.readerIndex(), in.writerIndex(), (byte) '\n');
            if (lf < 0) {
                if (in.readableBytes() > LINE_LIMIT) {
                    throw new DecoderException("reply line longer than " + LINE_LIMIT + " octets");
                }
                return;
            }
            int end = lf > in.readerIndex() && in.getByte(lf - 1) == '\r' ? lf - 1 : lf;
            String line = in.toString(in.readerIndex(), end - in.readerIndex(), StandardCharsets.UTF_8);
            in.readerIndex(lf + 1);
            if (line.length() < 3 || !line.substring(0, 3).chars().allMatch(Character::isDigit)
                    || (line.length() > 3 && line.charAt(3) != ' ' && line.charAt(3) != '-')) {
                throw new DecoderException("malformed reply line: " + line);
            }
            lines.add(line.length() > 4 ? line.substring(4) : "");
            if (lines.size() > LINES_PER_REPLY) {
                throw new DecoderException("reply longer than " + LINES_PER_REPLY + " lines");
            }
            if (line.length() == 3 || line.charAt(3) == ' ') {
                out.add(new SmtpReply(Integer.parseInt(line.substring(0, 3)), List.copyOf(lines)));
                lines.clear();
            }
        }
    }
}
