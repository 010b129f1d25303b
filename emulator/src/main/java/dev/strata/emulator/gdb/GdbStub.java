package dev.strata.emulator.gdb;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One gdb session: reads packets, answers them from the {@link DebugTarget}, and reports stops. The target is
 * stopped when the session starts (gdb expects a stopped target when it attaches) and runs on when gdb detaches
 * or the connection drops. One thread, one connection; while the target runs, the session polls for Ctrl-C.
 */
public final class GdbStub {

    private static final Logger LOG = LoggerFactory.getLogger(GdbStub.class);
    /** How often a running target is checked for a stop while the stub also listens for Ctrl-C. */
    private static final long POLL_MILLIS = 10;

    private final DebugTarget target;
    private final RspReader in;
    private final OutputStream out;
    private boolean noAck;
    private byte[] lastSent;
    private StopReason lastStop = StopReason.STEPPED;
    private boolean ended;

    public GdbStub(DebugTarget target, InputStream in, OutputStream out) {
        this.target = target;
        this.in = new RspReader(in);
        this.out = out;
    }

    /** Serves the connection until gdb detaches, kills the target or goes away, or the machine's run ends. */
    public void serve() throws IOException, InterruptedException {
        target.halt();
        while (!ended) {
            RspReader.Item item = in.next();
            switch (item.kind()) {
                case END -> {
                    target.detach(); // gdb went away: the guest runs on without breakpoints
                    return;
                }
                case NACK -> {
                    if (lastSent != null) {
                        write(lastSent);
                    }
                }
                case BAD_PACKET -> {
                    if (!noAck) {
                        write(new byte[] {'-'});
                    }
                }
                case PACKET -> {
                    if (!noAck) {
                        write(new byte[] {'+'});
                    }
                    handle(item.payload());
                }
                default -> {
                    // acks, and a Ctrl-C that raced with a stop: nothing to do
                }
            }
        }
    }

    private void handle(String p) throws IOException, InterruptedException {
        LOG.debug("gdb: {}", p.length() > 80 ? p.substring(0, 80) + "..." : p);
        if (p.isEmpty()) {
            send("");
            return;
        }
        try {
            dispatch(p);
        } catch (IllegalArgumentException | IndexOutOfBoundsException malformed) {
            LOG.debug("gdb: malformed packet '{}': {}", p, malformed.getMessage());
            send("E01");
        }
    }

    private void dispatch(String p) throws IOException, InterruptedException {
        char c = p.charAt(0);
        switch (c) {
            case '?' -> send(lastStop.reply());
            case 'g' -> send(RspPacket.hex(target.readRegisters()));
            case 'G' -> send(target.writeRegisters(RspPacket.unhex(p.substring(1))) ? "OK" : "E01");
            case 'p' -> {
                byte[] value = target.readRegister((int) RspPacket.parseHex(p.substring(1)));
                send(value == null ? "E00" : RspPacket.hex(value));
            }
            case 'P' -> {
                int eq = p.indexOf('=');
                boolean ok = target.writeRegister((int) RspPacket.parseHex(p.substring(1, eq)),
                        RspPacket.unhex(p.substring(eq + 1)));
                send(ok ? "OK" : "E01");
            }
            case 'm' -> readMemory(p.substring(1));
            case 'M' -> writeMemory(p.substring(1), false);
            case 'X' -> writeMemory(p.substring(1), true);
            case 'Z', 'z' -> point(c == 'Z', p.substring(1));
            case 'c' -> run(false);
            case 's' -> run(true);
            case 'H', 'T' -> send("OK"); // one thread: every thread id names it
            case 'D' -> {
                send("OK");
                target.detach();
                ended = true;
            }
            case 'k' -> {
                target.kill(); // no reply: gdb closes the connection
                ended = true;
            }
            case 'q', 'Q', 'v' -> query(p);
            default -> send("");
        }
    }

    private void query(String p) throws IOException {
        if (p.startsWith("qSupported")) {
            send("PacketSize=" + Integer.toHexString(RspReader.MAX_PACKET)
                    + ";QStartNoAckMode+;qXfer:features:read+;swbreak+;hwbreak+;ConditionalBreakpoints+");
        } else if (p.equals("QStartNoAckMode")) {
            send("OK");
            noAck = true;
        } else if (p.startsWith("qXfer:features:read:")) {
            features(p.substring("qXfer:features:read:".length()));
        } else if (p.equals("qAttached") || p.startsWith("qAttached:")) {
            send("1"); // attached to a machine that was already there: detaching leaves it running
        } else if (p.equals("qC")) {
            send("QC1");
        } else if (p.equals("qfThreadInfo")) {
            send("m1");
        } else if (p.equals("qsThreadInfo")) {
            send("l");
        } else if (p.startsWith("qRcmd,")) {
            String command = new String(RspPacket.unhex(p.substring(6)), StandardCharsets.ISO_8859_1);
            String text = target.monitor(command.strip());
            if (!text.isEmpty()) {
                // console output goes in O packets; long output in pieces that fit a packet
                int piece = RspReader.MAX_PACKET / 2 - 8;
                for (int at = 0; at < text.length(); at += piece) {
                    send("O" + RspPacket.hex(text.substring(at, Math.min(text.length(), at + piece))
                            .getBytes(StandardCharsets.ISO_8859_1)));
                }
            }
            send("OK");
        } else if (p.equals("qqemu.PhyMemMode")) {
            send(target.physicalAddresses() ? "1" : "0");
        } else if (p.startsWith("Qqemu.PhyMemMode:")) {
            // QEMU's switch between linear and physical memory packets: gdb sends it with "maintenance packet"
            String mode = p.substring("Qqemu.PhyMemMode:".length());
            send((mode.equals("0") || mode.equals("1")) && target.physicalAddresses(mode.equals("1")) ? "OK" : "E01");
        } else if (p.startsWith("vKill")) {
            send("OK");
            target.kill();
            ended = true;
        } else {
            send(""); // not supported: gdb falls back or says so
        }
    }

    /** {@code qXfer:features:read:ANNEX:OFFSET,LENGTH}: a slice of the target description, 'm' more or 'l' last. */
    private void features(String args) throws IOException {
        int colon = args.indexOf(':');
        String annex = args.substring(0, colon);
        if (!annex.equals("target.xml")) {
            send("E00");
            return;
        }
        int comma = args.indexOf(',', colon);
        int offset = (int) RspPacket.parseHex(args.substring(colon + 1, comma));
        int length = (int) RspPacket.parseHex(args.substring(comma + 1));
        String xml = target.targetDescription();
        if (offset >= xml.length()) {
            send("l");
            return;
        }
        int end = Math.min(xml.length(), offset + length);
        send((end == xml.length() ? "l" : "m") + xml.substring(offset, end));
    }

    private void readMemory(String args) throws IOException {
        int comma = args.indexOf(',');
        long address = RspPacket.parseHex(args.substring(0, comma));
        int length = (int) Math.min(RspReader.MAX_PACKET / 2 - 16, RspPacket.parseHex(args.substring(comma + 1)));
        byte[] data = target.readMemory(address, length);
        send(data.length == 0 && length > 0 ? "E14" : RspPacket.hex(data));
    }

    /** M (hex) and X (binary) writes: {@code ADDR,LENGTH:DATA}. */
    private void writeMemory(String args, boolean binary) throws IOException {
        int comma = args.indexOf(',');
        int colon = args.indexOf(':', comma);
        long address = RspPacket.parseHex(args.substring(0, comma));
        int length = (int) RspPacket.parseHex(args.substring(comma + 1, colon));
        String data = args.substring(colon + 1);
        byte[] bytes = binary ? data.getBytes(StandardCharsets.ISO_8859_1) : RspPacket.unhex(data);
        if (bytes.length != length) {
            send("E01");
            return;
        }
        send(length == 0 || target.writeMemory(address, bytes) ? "OK" : "E14");
    }

    /**
     * {@code Z/z TYPE,ADDR,KIND[;X LEN,BYTECODE]...[;cmds:...]}: a breakpoint's conditions are agent expressions the
     * target evaluates (one true is enough); target-side commands are not offered, and gdb runs its own. A condition
     * with a bytecode the stub does not evaluate makes the breakpoint stop every time, and gdb, which still checks
     * its conditions at a breakpoint it recognises, decides.
     */
    private void point(boolean insert, String args) throws IOException {
        String[] parts = args.split(";");
        String[] f = parts[0].split(",");
        int type = Integer.parseInt(f[0]);
        long address = RspPacket.parseHex(f[1]);
        int kind = (int) RspPacket.parseHex(f[2]);
        List<AgentExpression> conditions = new ArrayList<>();
        for (int i = 1; i < parts.length; i++) {
            if (parts[i].startsWith("X")) {
                int comma = parts[i].indexOf(',');
                int length = (int) RspPacket.parseHex(parts[i].substring(1, comma));
                byte[] code = RspPacket.unhex(parts[i].substring(comma + 1));
                if (code.length != length) {
                    throw new IllegalArgumentException("condition of " + code.length + " bytes, said " + length);
                }
                try {
                    conditions.add(AgentExpression.of(code));
                } catch (IllegalArgumentException unsupported) {
                    LOG.debug("gdb: {}; the breakpoint stops every time", unsupported.getMessage());
                    conditions.clear();
                    break;
                }
            }
        }
        boolean supported = insert ? target.insertPoint(type, address, kind, conditions)
                : target.removePoint(type, address, kind);
        send(supported ? "OK" : "");
    }

    /** c and s: resume, then wait for a stop while listening for Ctrl-C. */
    private void run(boolean step) throws IOException, InterruptedException {
        target.resume(step);
        StopReason reason;
        while ((reason = target.awaitStop(POLL_MILLIS)) == null) {
            if (in.ready()) {
                RspReader.Item item = in.next();
                if (item.kind() == RspReader.Item.Kind.INTERRUPT) {
                    target.halt();
                } else if (item.kind() == RspReader.Item.Kind.END) {
                    target.detach();
                    ended = true;
                    return;
                }
            }
        }
        lastStop = reason;
        send(reason.reply());
        if (reason.kind() == StopReason.Kind.EXITED) {
            ended = true;
        }
    }

    private void send(String payload) throws IOException {
        LOG.debug("stub: {}", payload.length() > 80 ? payload.substring(0, 80) + "..." : payload);
        lastSent = RspPacket.frame(payload);
        write(lastSent);
    }

    private void write(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }
}
