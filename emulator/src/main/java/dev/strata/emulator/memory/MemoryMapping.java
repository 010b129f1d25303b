package dev.strata.emulator.memory;

/**
 * A {@link MemoryRegion} placed in the physical address space at {@code base}. Where mappings overlap, the one with
 * the higher {@code priority} answers (and of equal priorities the one mapped last), as a chipset decodes RAM,
 * shadowed ROM and device windows in a fixed order. See {@link MemoryMap} for the priorities a PC uses.
 */
public record MemoryMapping(MemoryRegion region, long base, int priority) {

    public MemoryMapping {
        if (region == null) {
            throw new IllegalArgumentException("a memory mapping needs a region");
        }
        if (base < 0 || base + region.size() > 1L << 32) {
            throw new IllegalArgumentException(String.format("memory region '%s' of %d bytes at %Xh does not fit"
                    + " in the 4 GiB physical address space", region.name(), region.size(), base));
        }
    }

    /** The first address after the mapping. */
    public long end() {
        return base + region.size();
    }

    @Override
    public String toString() {
        return String.format("%s at %08Xh-%08Xh (priority %d)", region, base, end() - 1, priority);
    }
}
