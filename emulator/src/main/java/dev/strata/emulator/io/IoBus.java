package dev.strata.emulator.io;

/** The 64 KiB I/O port space: one handler per port, unclaimed ports read all ones and ignore writes. */
public final class IoBus {

    private final IoPortHandler[] handlers = new IoPortHandler[0x10000];
    private Runnable accessListener = () -> { };

    /** Tells {@code listener} of every port access (the machine clock charges the bus cycle's time). */
    public void onAccess(Runnable listener) {
        this.accessListener = listener;
    }

    /** Claims {@code count} ports starting at {@code first} for {@code handler}. */
    public void register(int first, int count, IoPortHandler handler) {
        for (int p = first; p < first + count; p++) {
            handlers[p & 0xFFFF] = handler;
        }
    }

    public int in(int port, int size) {
        accessListener.run();
        IoPortHandler h = handlers[port & 0xFFFF];
        int mask = size == 1 ? 0xFF : size == 2 ? 0xFFFF : -1;
        return h == null ? mask : h.in(port & 0xFFFF, size) & mask;
    }

    public void out(int port, int size, int value) {
        accessListener.run();
        IoPortHandler h = handlers[port & 0xFFFF];
        if (h != null) {
            h.out(port & 0xFFFF, size, value);
        }
    }
}
