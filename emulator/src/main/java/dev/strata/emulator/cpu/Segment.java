package dev.strata.emulator.cpu;

import dev.strata.emulator.state.StateClass;
import dev.strata.emulator.state.StateField;
import dev.strata.emulator.state.StateLoadHook;
import dev.strata.emulator.state.StateReader;

/**
 * One segment register with its hidden descriptor cache. Real mode loads only the selector and base
 * (selector * 16) and keeps limit and attributes, as a 386+ does (so limits cached in protected mode survive:
 * "unreal mode"); protected mode fills all fields from a descriptor.
 *
 * <p>Accesses are checked against a precomputed offset window, one for reads and one for writes, so the check
 * is a single comparison whatever the segment's kind: {@code (off - lo) + bytes - 1 <= span} (unsigned, in a
 * long). Expand-down segments move {@code lo}; a null selector, or a write to a read-only segment, gets
 * {@code span = -1}, which no access passes.
 */
@StateClass("dev.strata.emulator.cpu.Segment")
public final class Segment implements StateLoadHook {

    /** Attribute bit: 32-bit default operand/address size (code) or 32-bit stack pointer (stack). */
    public static final int ATTR_BIG = 1 << 14;
    /** Attribute bit: limit counted in 4 KiB units (already applied to {@link #limit}). */
    public static final int ATTR_GRANULAR = 1 << 15;
    public static final int ATTR_PRESENT = 0x80;

    @StateField("selector") public int selector;
    @StateField("base") public int base;
    /** Highest valid offset (byte granular). */
    @StateField("limit") public int limit = 0xFFFF;
    /** Descriptor access byte in bits 0-7 and flags (G, D/B) in bits 12-15, as in the descriptor's high word. */
    @StateField("attributes") public int attributes = 0x93;

    /** Lowest valid offset (0 but for expand-down segments). */
    @StateField("lo") public int lo;
    /** Valid offsets for reads: lo .. lo + readSpan (unsigned); -1 when nothing may be read. */
    @StateField("readSpan") public long readSpan = 0xFFFF;
    /** The same for writes. */
    @StateField("writeSpan") public long writeSpan = 0xFFFF;
    /** False while the windows carry protected-mode type restrictions or a null selector's emptiness. */
    @StateField("typeFree") private boolean typeFree = true;
    /**
     * 32-bit, base 0 and every offset readable and writable: an offset is its linear address ({@link #flat}).
     * Derived from the fields above by the methods that set them.
     */
    private transient boolean flat;

    /** Real-mode load: selector and base only (the cached limit stays, types and null-ness no longer matter). */
    public void loadReal(int sel) {
        selector = sel & 0xFFFF;
        base = selector << 4;
        if (!typeFree) {
            ignoreTypes();
        }
        windowsChanged();
    }

    /** Virtual-8086 load: base = selector * 16, 64 KiB limit, a present writable ring-3 data segment. */
    public void loadV86(int sel) {
        selector = sel & 0xFFFF;
        base = selector << 4;
        limit = 0xFFFF;
        attributes = 0xF3;
        ignoreTypes();
    }

    /** Loads the cache from a descriptor (low and high dwords) with protected-mode checks of its type. */
    public void loadDescriptor(int sel, int low, int high) {
        selector = sel & 0xFFFF;
        base = (low >>> 16) | ((high & 0xFF) << 16) | (high & 0xFF000000);
        int raw = (low & 0xFFFF) | (high & 0xF0000);
        attributes = (high >>> 8) & 0xF0FF;
        limit = (attributes & ATTR_GRANULAR) != 0 ? (raw << 12) | 0xFFF : raw;
        protectedWindows();
    }

    /** A null selector in DS, ES, FS or GS: loads fine, faults on every use. */
    public void loadNull(int sel) {
        selector = sel & 0xFFFF;
        base = 0;
        attributes &= ~ATTR_PRESENT;
        lo = 0;
        readSpan = -1;
        writeSpan = -1;
        typeFree = false;
        windowsChanged();
    }

    /** Recomputes the windows by protected-mode rules (type decides what may be read or written). */
    public void protectedWindows() {
        int type = attributes & 0x1F;
        ignoreTypes();
        if ((attributes & ATTR_PRESENT) == 0 || (type & 0x10) == 0) {
            readSpan = -1; // system descriptors never sit in a segment register's cache usably
            writeSpan = -1;
        } else if ((type & 0x8) != 0) {
            writeSpan = -1; // code is never writable
            if ((type & 0x2) == 0) {
                readSpan = -1; // execute-only
            }
        } else if ((type & 0x2) == 0) {
            writeSpan = -1; // read-only data
        }
        typeFree = false;
        windowsChanged();
    }

    /** Windows from the limit alone (real mode ignores types but still honours limits, expand-down included). */
    public void ignoreTypes() {
        long top = big() ? 0xFFFFFFFFL : 0xFFFFL;
        if (expandDown()) {
            lo = limit + 1;
            readSpan = top - (limit & 0xFFFFFFFFL) - 1;
        } else {
            lo = 0;
            readSpan = limit & 0xFFFFFFFFL;
        }
        writeSpan = readSpan;
        typeFree = true;
        windowsChanged();
    }

    /**
     * True when the segment is 32-bit (B set), its base is 0 and all 4 GiB of offsets may be read and written (what
     * an operating system's flat data and stack segments are): the offset is the linear address, and as SS the
     * stack pointer is ESP, so translated code that finds this at its start skips the limit check of each access (a
     * 2- or 4-byte access across the 4 GiB end still faults, on the slow path: {@link Cpu#readFlat32}).
     */
    public boolean flat() {
        return flat;
    }

    private void windowsChanged() {
        flat = base == 0 && lo == 0 && readSpan == 0xFFFFFFFFL && writeSpan == 0xFFFFFFFFL && big();
    }

    @Override
    public void afterLoad(int savedVersion, StateReader r) {
        windowsChanged();
    }

    public boolean big() {
        return (attributes & ATTR_BIG) != 0;
    }

    /** Data segment growing down: valid offsets lie above the limit. */
    public boolean expandDown() {
        return (attributes & 0x1C) == 0x14;
    }

    public int dpl() {
        return (attributes >>> 5) & 3;
    }
}
