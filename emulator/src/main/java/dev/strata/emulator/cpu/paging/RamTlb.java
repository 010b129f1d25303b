package dev.strata.emulator.cpu.paging;

/**
 * The CPU's memory fast path: linear pages whose data accesses need nothing but the RAM array, each with the
 * distance from its linear to its physical address, so that a hit is one tag compare and one array access. It
 * leaves out everything the slow path decides: a page whose reads or writes a device, ROM, a watch or decoded code
 * must see is never entered for them, and every change that could make a page so revokes it
 * ({@link #revokeWrites}, {@link #flush}).
 *
 * <p>Its slots are the {@link Mmu}'s: slot {@code s} holds a page only while the Mmu's slot {@code s} holds the same
 * translation (the Mmu drops it whenever its own slot changes), so with paging on a hit here is exactly a TLB hit
 * there followed by a plain RAM access, and the guest sees the same accessed and dirty bits, faults and stale
 * translations as before. With paging off the Mmu is not asked and a page maps through the A20 gate only.
 *
 * <p>An entry is a {@code long}: the tag in its high half, the distance from the linear to the physical page in its
 * low half, so that a lookup is one array load. A tag is the linear page with {@link #VALID} and, for CPL 3,
 * {@link #USER}, as the Mmu's tags are: an empty entry (0) never matches. An access of {@code n} bytes looks up the
 * slot of its last byte and compares the tag of its first one, so an access that straddles two pages always misses.
 */
public final class RamTlb {

    public static final int SLOTS = Mmu.SLOTS;
    public static final int MASK = SLOTS - 1;
    public static final int VALID = Mmu.VALID;
    public static final int USER = Mmu.USER;

    /** Per slot, the page reads may take from {@link #ram} (tag and delta, see above), or 0. */
    public final long[] read = new long[SLOTS];
    /** Per slot, the page writes may go to {@link #ram} directly, or 0; when both are set they map alike. */
    public final long[] write = new long[SLOTS];
    /**
     * Per physical page, a bit once a write entry pointed there since the last {@link #flush}: a revocation of a page
     * without one (most of them: a page becoming code again after a write to code in it) costs no search.
     */
    private final long[] writable = new long[1 << 14];
    /** The RAM array the entries point into (set at each fill; every entry is revoked when RAM is reallocated). */
    public byte[] ram = new byte[0];

    /** The tag an access at {@code linear} looks for, at CPL {@code cpl}. */
    public static int tag(int linear, int cpl) {
        return (linear & 0xFFFFF000) | tagBits(cpl);
    }

    /** The low bits of the tags an access at CPL {@code cpl} looks for. */
    public static int tagBits(int cpl) {
        return cpl == 3 ? USER | VALID : VALID;
    }

    /** The entry for {@code linear}'s page mapped to the page of {@code physical}, at CPL {@code cpl}. */
    static long entry(int linear, int cpl, int physical) {
        return (long) tag(linear, cpl) << 32 | (((physical & 0xFFFFF000) - (linear & 0xFFFFF000)) & 0xFFFFFFFFL);
    }

    /** Enters {@code linear}'s page for reads: it maps to the RAM page at {@code physical} in {@code array}. */
    public void fillRead(int linear, int cpl, int physical, byte[] array) {
        use(array);
        int slot = (linear >>> 12) & MASK;
        long e = entry(linear, cpl, physical);
        if (write[slot] != e) {
            write[slot] = 0; // a slot's two entries map alike or one is empty
        }
        read[slot] = e;
    }

    /**
     * Enters {@code linear}'s page for writes (and for reads too when {@code readable}): it maps to the RAM page at
     * {@code physical} in {@code array}.
     */
    public void fillWrite(int linear, int cpl, int physical, byte[] array, boolean readable) {
        use(array);
        int slot = (linear >>> 12) & MASK;
        long e = entry(linear, cpl, physical);
        if (read[slot] != e) {
            read[slot] = readable ? e : 0;
        }
        write[slot] = e;
        int page = physical >>> 12;
        writable[page >>> 6] |= 1L << page;
    }

    /** Points the entries at {@code array}, forgetting all of them if they pointed into another one. */
    private void use(byte[] array) {
        if (array != ram) {
            flush();
            ram = array;
        }
    }

    /** Forgets every page (paging or the A20 gate changed, the Mmu flushed, the RAM array or the map changed). */
    public void flush() {
        java.util.Arrays.fill(read, 0);
        java.util.Arrays.fill(write, 0);
        java.util.Arrays.fill(writable, 0);
    }

    /** Forgets whatever slot {@code slot} holds (the Mmu's slot changed). */
    public void drop(int slot) {
        read[slot] = 0;
        write[slot] = 0;
    }

    /**
     * Writes to the physical page {@code page} must take the slow path from now on (it holds decoded code, or a
     * watch hears it): every slot that writes there directly forgets it. Reads stay direct.
     */
    public void revokeWrites(int page) {
        if ((writable[page >>> 6] & (1L << page)) == 0) {
            return;
        }
        writable[page >>> 6] &= ~(1L << page);
        for (int slot = 0; slot < SLOTS; slot++) {
            long e = write[slot];
            if (e != 0 && ((int) (e >>> 32 & 0xFFFFF000L) + (int) e) >>> 12 == page) {
                write[slot] = 0;
            }
        }
    }
}
