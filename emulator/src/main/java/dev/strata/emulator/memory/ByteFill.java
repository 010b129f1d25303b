package dev.strata.emulator.memory;

/**
 * Fills a stretch of a byte array with one element of 1, 2 or 4 bytes repeated (little-endian, as x86 stores it):
 * the first element byte by byte, the rest copied from what is already filled, in runs that double. System.arraycopy
 * is native code from its first call, where a loop of {@link java.util.Arrays#fill} or VarHandle stores runs in the
 * JVM's bytecode interpreter until the JIT compiles it: the BIOS clearing video memory took 4 ms of a FreeDOS boot's
 * CPU thread that way, and a guest's REP STOSW or STOSD paid a VarHandle call per element until then.
 */
public final class ByteFill {

    private ByteFill() {
    }

    /**
     * Stores {@code length} bytes from {@code from}: the low {@code size} bytes of {@code value} (1, 2 or 4), least
     * significant first, again and again ({@code length} a multiple of {@code size}).
     */
    public static void fill(byte[] array, int from, int length, int value, int size) {
        if (length <= 0) {
            return;
        }
        int first = Math.min(size, length);
        for (int k = 0; k < first; k++) {
            array[from + k] = (byte) (value >>> 8 * k);
        }
        for (int done = first; done < length; done += Math.min(done, length - done)) {
            System.arraycopy(array, from, array, from + done, Math.min(done, length - done));
        }
    }
}
