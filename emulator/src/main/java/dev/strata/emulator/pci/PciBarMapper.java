package dev.strata.emulator.pci;

import dev.strata.emulator.io.IoBus;
import dev.strata.emulator.io.IoPortHandler;
import dev.strata.emulator.io.IoPortRange;
import dev.strata.emulator.memory.MemoryMap;
import dev.strata.emulator.memory.MemoryMapping;
import dev.strata.emulator.memory.MemoryRegion;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decodes the BARs of the functions on a PCI bus as the host bridge does: a window is mapped on the port bus or in
 * the memory map while its BAR holds an address and the command register's I/O or memory space bit is on, and moves
 * or disappears the moment software changes either. Address 0 means "not assigned", and a window that would run
 * past the end of its address space (the all-ones a driver writes to size a BAR) is not decoded. Memory windows sit
 * at {@link MemoryMap#PRIORITY_PCI}, below RAM and ROM, as the chipset decodes those first.
 *
 * <p>A guest can program an I/O BAR over another device's ports; real hardware would then drive the bus from two
 * devices. Here the window stays unmapped (logged) until the BAR moves somewhere free, and the guest is never told
 * by an exception.
 */
public final class PciBarMapper {

    private static final Logger LOG = LoggerFactory.getLogger(PciBarMapper.class);
    private static final long IO_SPACE = 0x10000L;
    private static final long MEMORY_SPACE = 1L << 32;

    private final IoBus io;
    private final MemoryMap memory;

    /** A mapper that claims ports on {@code io} and maps memory windows in {@code memory}. */
    public PciBarMapper(IoBus io, MemoryMap memory) {
        if (io == null || memory == null) {
            throw new IllegalArgumentException("the BAR mapper needs the port bus and the memory map");
        }
        this.io = io;
        this.memory = memory;
    }

    /** Follows the BARs of every function on {@code bus} from now on, mapping what they already decode. */
    public void connectAll(PciBus bus) {
        for (PciBus.Slot slot : bus.slots()) {
            connect(slot.device(), slot.function(), slot.pciFunction());
        }
    }

    /** Follows the BARs of {@code f}, which sits in slot {@code device}.{@code function}. */
    public void connect(int device, int function, PciFunction f) {
        Windows windows = new Windows(String.format("pci %02X.%X", device, function), f);
        f.onDecodeChanged(windows::update);
        windows.update();
    }

    /** The windows of one function, as they are mapped now. */
    private final class Windows {
        private final String slot;
        private final PciFunction f;
        private final IoPortRange[] ports = new IoPortRange[PciConfig.BAR_COUNT];
        private final MemoryMapping[] regions = new MemoryMapping[PciConfig.BAR_COUNT];

        Windows(String slot, PciFunction f) {
            this.slot = slot;
            this.f = f;
        }

        void update() {
            for (int i = 0; i < PciConfig.BAR_COUNT; i++) {
                PciBar bar = f.bar(i);
                Object target = f.barTarget(i);
                if (bar == null || target == null) {
                    continue;
                }
                long base = f.barAddress(i) & 0xFFFFFFFFL;
                if (bar.kind() == PciBar.Kind.IO) {
                    boolean decoded = f.ioSpaceEnabled() && base != 0 && base + bar.size() <= IO_SPACE;
                    mapPorts(i, decoded ? (int) base : -1, bar, (IoPortHandler) target);
                } else {
                    boolean decoded = f.memorySpaceEnabled() && base != 0 && base + bar.size() <= MEMORY_SPACE;
                    mapRegion(i, decoded ? base : -1, (MemoryRegion) target);
                }
            }
        }

        private void mapPorts(int i, int base, PciBar bar, IoPortHandler handler) {
            IoPortRange now = ports[i];
            if (now != null && now.first() == base) {
                return;
            }
            if (now != null) {
                io.unregister(now);
                ports[i] = null;
            }
            if (base < 0) {
                return;
            }
            IoPortRange wanted = new IoPortRange(f.barName(i) + " (" + slot + " BAR" + i + ")", base, bar.size(),
                    handler);
            try {
                io.register(wanted);
                ports[i] = wanted;
                LOG.debug("{} mapped at ports {}", wanted.name(), wanted.ports());
            } catch (IllegalArgumentException clash) {
                LOG.warn("{}: the guest put the window where another device answers; it stays unmapped until"
                        + " the BAR moves: {}", wanted.name(), clash.getMessage());
            }
        }

        private void mapRegion(int i, long base, MemoryRegion region) {
            MemoryMapping now = regions[i];
            if (now != null && now.base() == base) {
                return;
            }
            if (now != null) {
                memory.remove(now);
                regions[i] = null;
            }
            if (base >= 0) {
                regions[i] = memory.add(region, base, MemoryMap.PRIORITY_PCI);
                LOG.debug("{} mapped at {}", region.name(), regions[i]);
            }
        }
    }
}
