package dev.strata.emulator.memory;

/** Told when the guest writes to bytes that may hold decoded code, so cached blocks can be dropped. */
public interface CodeWriteListener {

    /** Called when a whole physical 4 KiB page changed (ROM loads and patches, and by default any code write). */
    void codePageWritten(int page);

    /**
     * Called on the write slow path, before the write lands, when {@code length} bytes at {@code physical} (inside
     * one page) touch a 64-byte line marked as code. The page's code lines were cleared just before: the listener
     * marks again ({@link PhysicalMemory#markCodeLines}) the lines of the code it keeps. This default keeps none.
     */
    default void codeWritten(int physical, int length) {
        codePageWritten(physical >>> PhysicalMemory.PAGE_SHIFT);
    }

    /** Called when addresses map to different bytes than before (the A20 gate changed). */
    default void mappingChanged() {
    }

    /**
     * Called when accesses that went straight to the RAM array ({@link PhysicalMemory#readsDirectly},
     * {@link PhysicalMemory#writesDirectly}) may no longer: with a page number, writes to that page (it now holds
     * code, or a watch hears it); with -1, any access anywhere (the RAM array was reallocated, reads began or
     * stopped being watched, the memory map changed). Whoever keeps such pages (the CPU's memory fast path) forgets
     * them.
     */
    default void directAccessRevoked(int page) {
    }
}
