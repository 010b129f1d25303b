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
}
