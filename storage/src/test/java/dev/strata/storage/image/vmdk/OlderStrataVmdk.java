package dev.strata.storage.image.vmdk;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** Turns a sparse VMDK Strata makes now into one as Strata made them before it set the zero-grain header flag. */
public final class OlderStrataVmdk {
    private OlderStrataVmdk() {
    }

    /** Clears flags bit 2 (zero-grain entries allowed) in the sparse header at the start of {@code extent}. */
    public static void clearZeroGrainFlag(Path extent) throws IOException {
        try (FileChannel ch = FileChannel.open(extent, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            ByteBuffer b = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN);
            ch.read(b, SparseHeader.OFF_FLAGS);
            int flags = b.getInt(0);
            if ((flags & SparseHeader.FLAG_ZERO_GRAIN) == 0) {
                throw new IllegalStateException(extent + " has no zero-grain flag to clear");
            }
            b.putInt(0, flags & ~SparseHeader.FLAG_ZERO_GRAIN).clear();
            ch.write(b, SparseHeader.OFF_FLAGS);
        }
    }

    /** Whether the sparse header at the start of {@code extent} allows zero-grain entries. */
    public static boolean allowsZeroGrains(Path extent) throws IOException {
        try (FileChannel ch = FileChannel.open(extent, StandardOpenOption.READ)) {
            ByteBuffer b = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN);
            ch.read(b, SparseHeader.OFF_FLAGS);
            return (b.getInt(0) & SparseHeader.FLAG_ZERO_GRAIN) != 0;
        }
    }
}
