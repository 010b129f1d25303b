package dev.strata.emulator.io;

import java.util.ArrayList;
import java.util.List;

/**
 * The 64 KiB I/O port space: one handler per port, unclaimed ports read all ones and ignore writes. Every claim
 * is a named {@link IoPortRange}; a claim that overlaps another is refused with both names, because two devices
 * answering one port is a wiring mistake that would otherwise show up only as a guest misbehaving.
 */
public final class IoBus {

    /** Ports in the I/O space. */
    public static final int PORTS = 0x10000;

    private final IoPortHandler[] handlers = new IoPortHandler[PORTS];
    private final IoPortRange[] owners = new IoPortRange[PORTS];
    private final boolean[] byteWide = new boolean[PORTS];
    private Runnable accessListener = () -> { };

    /** Tells {@code listener} of every port access (the machine clock charges the bus cycle's time). */
    public void onAccess(Runnable listener) {
        this.accessListener = listener;
    }

    /**
     * Claims {@code count} ports starting at {@code first} for {@code handler}, in the name of device {@code name}.
     *
     * @return the claim, to give back with {@link #unregister}
     * @throws IllegalArgumentException when a port is claimed already (the message names both devices)
     */
    public IoPortRange register(String name, int first, int count, IoPortHandler handler) {
        IoPortRange range = new IoPortRange(name, first, count, handler);
        register(range);
        return range;
    }

    /** Claims {@code range}; refused, with both names, when any of its ports is taken. */
    public void register(IoPortRange range) {
        for (int p = range.first(); p <= range.last(); p++) {
            IoPortRange owner = owners[p];
            if (owner != null) {
                throw new IllegalArgumentException("I/O ports " + range.ports() + " of '" + range.name()
                        + "' overlap " + owner + " (port " + Integer.toHexString(p).toUpperCase()
                        + "h): each port can belong to one device only; move or drop one of them");
            }
        }
        for (int p = range.first(); p <= range.last(); p++) {
            owners[p] = range;
            handlers[p] = range.handler();
            byteWide[p] = range.byteWide();
        }
    }

    /** Gives back a claim made by {@link #register}; the ports read all ones again. Another claim is refused. */
    public void unregister(IoPortRange range) {
        for (int p = range.first(); p <= range.last(); p++) {
            if (owners[p] != range) {
                throw new IllegalArgumentException("I/O port " + Integer.toHexString(p).toUpperCase() + "h is not "
                        + range + " but " + (owners[p] == null ? "unclaimed" : owners[p].toString()));
            }
        }
        for (int p = range.first(); p <= range.last(); p++) {
            owners[p] = null;
            handlers[p] = null;
            byteWide[p] = false;
        }
    }

    /** The claim that owns {@code port}, or null when the port is unclaimed. */
    public IoPortRange owner(int port) {
        return owners[port & 0xFFFF];
    }

    /** Every claim, in port order (for monitor listings and tests). */
    public List<IoPortRange> ranges() {
        List<IoPortRange> list = new ArrayList<>();
        for (int p = 0; p < PORTS; p++) {
            if (owners[p] != null && owners[p].first() == p) {
                list.add(owners[p]);
            }
        }
        return list;
    }

    public int in(int port, int size) {
        accessListener.run();
        int p = port & 0xFFFF;
        IoPortHandler h = handlers[p];
        int mask = size == 1 ? 0xFF : size == 2 ? 0xFFFF : -1;
        if (h == null) {
            return mask;
        }
        if (size != 1 && byteWide[p]) {
            // an 8-bit device: its byte, then each further byte as a bus cycle of its own to that port's owner
            int value = h.in(p, 1) & 0xFF;
            for (int i = 1; i < size; i++) {
                value |= in(p + i, 1) << (8 * i);
            }
            return value;
        }
        return h.in(p, size) & mask;
    }

    public void out(int port, int size, int value) {
        accessListener.run();
        int p = port & 0xFFFF;
        IoPortHandler h = handlers[p];
        if (h == null) {
            return;
        }
        if (size != 1 && byteWide[p]) {
            h.out(p, 1, value & 0xFF);
            for (int i = 1; i < size; i++) {
                out(p + i, 1, (value >>> (8 * i)) & 0xFF);
            }
            return;
        }
        h.out(p, size, value);
    }
}
