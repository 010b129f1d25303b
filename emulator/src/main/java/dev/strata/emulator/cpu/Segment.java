package dev.strata.emulator.cpu;

/**
 * One segment register with its hidden descriptor cache. Real mode loads only the selector and base
 * (selector * 16) and keeps limit and attributes, as a 386+ does; protected mode will fill all fields from a
 * descriptor.
 */
public final class Segment {

    /** Attribute bit: 32-bit default operand/address size (code) or 32-bit stack pointer (stack). */
    public static final int ATTR_BIG = 1 << 14;

    public int selector;
    public int base;
    /** Highest valid offset (byte granular). */
    public int limit = 0xFFFF;
    /** Descriptor access byte in bits 0-7 and flags (G, D/B) in bits 12-15, as in the descriptor's high word. */
    public int attributes = 0x93;

    /** Real-mode load: selector and base only. */
    public void loadReal(int sel) {
        selector = sel & 0xFFFF;
        base = selector << 4;
    }

    public boolean big() {
        return (attributes & ATTR_BIG) != 0;
    }
}
