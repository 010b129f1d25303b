package dev.strata.emulator.pci;

import dev.strata.emulator.state.StateClass;

/**
 * The shape of one base address register: which address space it decodes and how large its window is. The
 * window's size is a power of two; software finds it by writing all ones to the BAR and reading back which
 * address bits stayed zero.
 */
@StateClass("dev.strata.emulator.pci.PciBar")
public record PciBar(Kind kind, int size, boolean prefetchable) {

    /** The address space a BAR decodes. */
    public enum Kind {
        /** An I/O port window; bit 0 of the BAR reads as 1. */
        IO,
        /** A 32-bit memory window anywhere below 4 GB; bits 2:1 read as 00. */
        MEMORY32
    }

    /** Bit 0 of an I/O BAR. */
    public static final int IO_SPACE = 0x1;
    /** Bit 3 of a memory BAR: reads may be prefetched and merged. */
    public static final int PREFETCHABLE = 0x8;

    public PciBar {
        if (kind == null) {
            throw new IllegalArgumentException("a BAR needs a kind (IO or MEMORY32)");
        }
        int minimum = kind == Kind.IO ? 4 : 16;
        if (size < minimum || Integer.bitCount(size) != 1) {
            throw new IllegalArgumentException(kind + " BAR size " + size
                    + " must be a power of two of at least " + minimum + " bytes");
        }
        if (kind == Kind.IO && prefetchable) {
            throw new IllegalArgumentException("an IO BAR cannot be prefetchable");
        }
    }

    /** An I/O window of {@code size} ports (a power of two, at least 4; PCI asks for at most 256). */
    public static PciBar io(int size) {
        return new PciBar(Kind.IO, size, false);
    }

    /** A 32-bit memory window of {@code size} bytes (16 or more, a power of two). */
    public static PciBar memory32(int size, boolean prefetchable) {
        return new PciBar(Kind.MEMORY32, size, prefetchable);
    }

    /** The read-only low bits that tell software the BAR's kind. */
    int typeBits() {
        return kind == Kind.IO ? IO_SPACE : (prefetchable ? PREFETCHABLE : 0);
    }

    /** The address bits software may write: those above the window's size, minus the type bits. */
    int writableMask() {
        int low = kind == Kind.IO ? 0x3 : 0xF;
        return ~(size - 1) & ~low;
    }
}
