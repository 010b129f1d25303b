package dev.strata.vm;

import dev.strata.emulator.machine.MachineSettings;

/** A VM's boot order as the machine can follow it. */
final class BootOrder {
    private BootOrder() {
    }

    /** {@code wanted} without the letters that have no drive (a floppy-less VM boots from C:, say). */
    static String present(String wanted, MachineSettings ms) {
        StringBuilder b = new StringBuilder();
        for (char c : wanted.toCharArray()) {
            boolean present = switch (c) {
                case 'a' -> ms.floppy(0) != null;
                case 'c' -> ms.hardDisk(0) != null || ms.hardDisk(1) != null || ms.hardDisk(2) != null
                        || ms.hardDisk(3) != null;
                case 'd' -> ms.cdrom() != null;
                default -> false;
            };
            if (present) {
                b.append(c);
            }
        }
        return b.length() > 0 ? b.toString() : "c";
    }
}
