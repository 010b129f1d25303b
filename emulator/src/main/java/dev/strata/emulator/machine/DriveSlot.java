package dev.strata.emulator.machine;

/**
 * Where a drive sits in the machine: its bus and its number on that bus. The VM layer maps each controller's slots
 * to these, so settings and online disk switches name a drive the same way whichever controller holds it.
 */
public record DriveSlot(Bus bus, int index) {

    /** The machine's drive buses and how many drives each has. */
    public enum Bus {
        /** Floppy drives A: and B:. */
        FLOPPY(2, "floppy drive"),
        /** The PIIX3's IDE channels: 0..3 is channel * 2 + position (primary master to secondary slave). */
        IDE(4, "IDE drive"),
        /** The AHCI controller's ports. */
        SATA(MachineSettings.SATA_PORTS, "SATA port");

        private final int count;
        private final String label;

        Bus(int count, String label) {
            this.count = count;
            this.label = label;
        }

        /** How many drives the bus has. */
        public int count() {
            return count;
        }
    }

    public DriveSlot {
        if (bus == null) {
            throw new IllegalArgumentException("a drive slot needs a bus");
        }
        if (index < 0 || index >= bus.count) {
            throw new IllegalArgumentException(bus.label + " must be 0.." + (bus.count - 1) + ", got " + index);
        }
    }

    /** IDE drive {@code channel * 2 + position}. */
    public static DriveSlot ide(int index) {
        return new DriveSlot(Bus.IDE, index);
    }

    /** SATA port {@code port}. */
    public static DriveSlot sata(int port) {
        return new DriveSlot(Bus.SATA, port);
    }

    /** Floppy drive {@code drive} (0 is A:). */
    public static DriveSlot floppy(int drive) {
        return new DriveSlot(Bus.FLOPPY, drive);
    }

    /** "SATA port 2" and the like, for messages. */
    @Override
    public String toString() {
        return bus.label + " " + index;
    }
}
