package dev.strata.emulator.pci;

import static dev.strata.emulator.pci.PciFunction.hex;

import dev.strata.emulator.state.StateClass;
import dev.strata.emulator.state.StateField;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * PCI bus 0: 32 device slots of 8 functions each. Configuration cycles to an empty slot, or to any other bus
 * number (Strata has no PCI-to-PCI bridges), end in a master abort and read all ones.
 */
@StateClass("dev.strata.emulator.pci.PciBus")
public final class PciBus {

    public static final int DEVICES = 32;
    public static final int FUNCTIONS = 8;

    @StateField("slots") private final PciFunction[] slots = new PciFunction[DEVICES * FUNCTIONS];

    /** One occupied slot, for listings and the machine's wiring. */
    public record Slot(int device, int function, PciFunction pciFunction) {
    }

    /**
     * Plugs {@code f} into device {@code device} (0..31), function {@code function} (0..7). A device with more than
     * one function gets the multi-function bit in function 0's header type, so software probes functions 1..7.
     */
    public void register(int device, int function, PciFunction f) {
        if (device < 0 || device >= DEVICES || function < 0 || function >= FUNCTIONS) {
            throw new IllegalArgumentException("PCI slot " + device + "." + function
                    + " does not exist: devices are 0..31, functions 0..7");
        }
        if (f == null) {
            throw new IllegalArgumentException("no function given for PCI slot " + device + "." + function);
        }
        int devfn = devfn(device, function);
        if (slots[devfn] != null) {
            throw new IllegalArgumentException("PCI slot " + device + "." + function + " already holds "
                    + describe(slots[devfn]) + "; choose a free slot");
        }
        slots[devfn] = f;
        PciFunction first = slots[devfn(device, 0)];
        if (first != null && functionsIn(device) > 1) {
            first.defineMultiFunction();
        }
    }

    /** The function in a slot, or null if the slot is empty. */
    public PciFunction function(int device, int function) {
        if (device < 0 || device >= DEVICES || function < 0 || function >= FUNCTIONS) {
            return null;
        }
        return slots[devfn(device, function)];
    }

    /** Every occupied slot in bus order. */
    public List<Slot> slots() {
        List<Slot> list = new ArrayList<>();
        for (int devfn = 0; devfn < slots.length; devfn++) {
            if (slots[devfn] != null) {
                list.add(new Slot(devfn >>> 3, devfn & 7, slots[devfn]));
            }
        }
        return Collections.unmodifiableList(list);
    }

    /**
     * A configuration read of {@code size} (1..4) bytes; all ones (of that size) if no function answers.
     * {@code offset} must leave the access inside one dword.
     */
    public int readConfig(int bus, int device, int function, int offset, int size) {
        PciFunction f = bus == 0 ? function(device, function) : null;
        if (f == null) {
            return size == 4 ? PciConfig.NO_DEVICE : (1 << (8 * size)) - 1;
        }
        return f.readConfig(offset, size);
    }

    /** A configuration write; ignored if no function answers. */
    public void writeConfig(int bus, int device, int function, int offset, int size, int value) {
        PciFunction f = bus == 0 ? function(device, function) : null;
        if (f != null) {
            f.writeConfig(offset, size, value);
        }
    }

    /**
     * After a restore: puts back, at power-on values, each function of {@code before} whose slot the file left empty
     * (a file from a build whose machine lacked that function, such as the VGA's before it had one), so the machine
     * keeps the devices it was built with.
     */
    void keepFunctionsTheFileLacks(List<Slot> before) {
        for (Slot slot : before) {
            int devfn = devfn(slot.device(), slot.function());
            if (slots[devfn] == null) {
                slots[devfn] = slot.pciFunction();
                slot.pciFunction().reset();
            }
        }
    }

    /** Resets every function's configuration space (PCI RST#, as at power-on or a machine reset). */
    public void reset() {
        for (PciFunction f : slots) {
            if (f != null) {
                f.reset();
            }
        }
    }

    private int functionsIn(int device) {
        int n = 0;
        for (int fn = 0; fn < FUNCTIONS; fn++) {
            if (slots[devfn(device, fn)] != null) {
                n++;
            }
        }
        return n;
    }

    private static int devfn(int device, int function) {
        return device << 3 | function;
    }

    private static String describe(PciFunction f) {
        return f.getClass().getSimpleName() + " (" + hex(f.vendorId()) + ":" + hex(f.deviceId()) + ")";
    }
}
