package dev.strata.vm;

import dev.strata.emulator.machine.MachineSettings;

/** A VM's boot order as the machine can follow it. */
public final class BootOrder {
    private BootOrder() {
    }

    /** {@code wanted} without the letters that have no drive (a floppy-less VM boots from C:, say). */
    public static String present(String wanted, MachineSettings ms) {
        StringBuilder b = new StringBuilder();
        for (char c : wanted.toCharArray()) {
            boolean present = switch (c) {
                case 'a' -> ms.floppy(0) != null;
                case 'c' -> ms.anyHardDisk(); // IDE or SATA: the BIOS numbers SATA disks after IDE ones
                case 'd' -> ms.anyCdrom();
                default -> false;
            };
            if (present) {
                b.append(c);
            }
        }
        return b.length() > 0 ? b.toString() : "c";
    }
}
