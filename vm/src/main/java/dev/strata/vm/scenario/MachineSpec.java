package dev.strata.vm.scenario;

import java.nio.file.Path;
import java.util.Arrays;

/**
 * The machine a scenario boots: drives by slot, memory and boot order. Every run works on copies and throwaway
 * differencing images, so the images named here are never written and many runs can share them.
 *
 * @param floppies   drives A: and B: (null when empty)
 * @param hardDisks  the primary master and slave, then the secondary master and slave (null when empty)
 * @param cdrom      the CD in the secondary master's place, or null
 * @param memoryMb   RAM in MiB
 * @param bootOrder  drive letters, as {@code strata run --boot} takes them
 */
public record MachineSpec(Path[] floppies, Path[] hardDisks, Path cdrom, int memoryMb, String bootOrder)
        implements MachineSource {

    public MachineSpec {
        floppies = Arrays.copyOf(floppies, 2);
        hardDisks = Arrays.copyOf(hardDisks, 4);
    }

    /**
     * The boot order when none is given: the floppy in A:, else the CD when there is no first hard disk, else the
     * first hard disk.
     */
    public static String defaultBootOrder(Path[] floppies, Path[] hardDisks, Path cdrom) {
        return floppies.length > 0 && floppies[0] != null ? "a"
                : cdrom != null && (hardDisks.length == 0 || hardDisks[0] == null) ? "d" : "c";
    }

    @Override
    public String describe() {
        return "images";
    }
}
