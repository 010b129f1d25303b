package dev.strata.emulator.memory;

/** Told when the guest writes to a physical page that holds decoded code, so cached blocks can be dropped. */
public interface CodeWriteListener {

    /** Called on the write slow path, before the write lands, with the 4 KiB physical page number. */
    void codePageWritten(int page);

    /** Called when addresses map to different bytes than before (the A20 gate changed). */
    default void mappingChanged() {
    }
}
