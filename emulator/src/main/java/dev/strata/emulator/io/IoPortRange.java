package dev.strata.emulator.io;

/**
 * A run of I/O ports one device claims on the {@link IoBus}: the name says whose ports they are in error messages
 * and listings, so two devices fighting over a port can both be named. A {@code byteWide} range belongs to an
 * 8-bit device: the bus hands it only byte accesses and splits a word or doubleword over ascending ports, each byte
 * to whichever device owns that port, as the ISA bus does.
 */
public record IoPortRange(String name, int first, int count, IoPortHandler handler, boolean byteWide) {

    /** A range whose handler takes accesses of every size as they come. */
    public IoPortRange(String name, int first, int count, IoPortHandler handler) {
        this(name, first, count, handler, false);
    }

    public IoPortRange {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("an I/O port range needs the name of the device that claims it");
        }
        if (handler == null) {
            throw new IllegalArgumentException(name + ": an I/O port range needs a handler");
        }
        if (count < 1 || first < 0 || first + count > IoBus.PORTS) {
            throw new IllegalArgumentException(name + ": ports " + describe(first, count)
                    + " lie outside the I/O space 0000h-FFFFh");
        }
    }

    /** The last port of the range. */
    public int last() {
        return first + count - 1;
    }

    /** True when the two ranges share a port. */
    public boolean overlaps(IoPortRange other) {
        return first <= other.last() && other.first <= last();
    }

    /** The range as people read it, e.g. {@code 1F0h-1F7h} or {@code 3F6h}. */
    public String ports() {
        return describe(first, count);
    }

    static String describe(int first, int count) {
        String start = Integer.toHexString(first).toUpperCase() + "h";
        return count == 1 ? start : start + "-" + Integer.toHexString(first + count - 1).toUpperCase() + "h";
    }

    @Override
    public String toString() {
        return "'" + name + "' at ports " + ports();
    }
}
