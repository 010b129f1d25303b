package dev.strata.emulator.device.ata;

import dev.strata.emulator.state.StateClass;
import dev.strata.emulator.state.StateField;

/**
 * One device's copy of the command block registers. Each register is a two-deep FIFO: a write pushes the old value
 * into the "previous" slot, which LBA48 commands read as the high-order byte and which the host reads back with HOB
 * set in the device control register. Both devices on a channel latch every register write, as on the cable; each
 * has its own copy so that after a reset each shows its own signature.
 */
@StateClass("dev.strata.emulator.device.ata.TaskFile")
final class TaskFile {

    @StateField("features") int features;
    @StateField("featuresPrevious") int featuresPrevious;
    @StateField("count") int count;
    @StateField("countPrevious") int countPrevious;
    @StateField("lbaLow") int lbaLow;
    @StateField("lbaLowPrevious") int lbaLowPrevious;
    @StateField("lbaMid") int lbaMid;
    @StateField("lbaMidPrevious") int lbaMidPrevious;
    @StateField("lbaHigh") int lbaHigh;
    @StateField("lbaHighPrevious") int lbaHighPrevious;
    @StateField("device") int device;

    void write(int register, int value) {
        int v = value & 0xFF;
        switch (register) {
            case AtaRegisters.ERROR_FEATURES -> {
                featuresPrevious = features;
                features = v;
            }
            case AtaRegisters.SECTOR_COUNT -> {
                countPrevious = count;
                count = v;
            }
            case AtaRegisters.LBA_LOW -> {
                lbaLowPrevious = lbaLow;
                lbaLow = v;
            }
            case AtaRegisters.LBA_MID -> {
                lbaMidPrevious = lbaMid;
                lbaMid = v;
            }
            case AtaRegisters.LBA_HIGH -> {
                lbaHighPrevious = lbaHigh;
                lbaHigh = v;
            }
            case AtaRegisters.DEVICE -> device = v;
            default -> throw new IllegalArgumentException("register " + register + " is not a taskfile register");
        }
    }

    /** The value the host reads at {@code register} (2..6); {@code hob} selects the previous values. */
    int read(int register, boolean hob) {
        return switch (register) {
            case AtaRegisters.SECTOR_COUNT -> hob ? countPrevious : count;
            case AtaRegisters.LBA_LOW -> hob ? lbaLowPrevious : lbaLow;
            case AtaRegisters.LBA_MID -> hob ? lbaMidPrevious : lbaMid;
            case AtaRegisters.LBA_HIGH -> hob ? lbaHighPrevious : lbaHigh;
            // bits 7 and 5 are obsolete and read as ones on the drives drivers were written against
            case AtaRegisters.DEVICE -> device | 0xA0;
            default -> throw new IllegalArgumentException("register " + register + " is not a taskfile register");
        };
    }

    boolean lbaMode() {
        return (device & AtaRegisters.DEVICE_LBA) != 0;
    }

    /** The 28-bit LBA of an LBA28 command. */
    long lba28() {
        return (long) (device & 0x0F) << 24 | lbaHigh << 16 | lbaMid << 8 | lbaLow;
    }

    /** The 48-bit LBA of an LBA48 command. */
    long lba48() {
        return (long) lbaHighPrevious << 40 | (long) lbaMidPrevious << 32 | (long) lbaLowPrevious << 24
                | (long) lbaHigh << 16 | lbaMid << 8 | lbaLow;
    }

    /** The sector count of an LBA28 or CHS command: 0 means 256. */
    int count28() {
        return count == 0 ? 256 : count;
    }

    /** The sector count of an LBA48 command: 0 means 65536. */
    int count48() {
        int c = countPrevious << 8 | count;
        return c == 0 ? 65536 : c;
    }

    int cylinder() {
        return lbaHigh << 8 | lbaMid;
    }

    int head() {
        return device & 0x0F;
    }

    /** The ATAPI byte count limit (LBA mid and high). */
    int byteCount() {
        return lbaHigh << 8 | lbaMid;
    }

    void setByteCount(int bytes) {
        lbaMid = bytes & 0xFF;
        lbaHigh = (bytes >>> 8) & 0xFF;
    }

    /** Output of an LBA28 command: the address in LBA low/mid/high and the device register's low nibble. */
    void setLba28(long lba) {
        lbaLow = (int) lba & 0xFF;
        lbaMid = (int) (lba >>> 8) & 0xFF;
        lbaHigh = (int) (lba >>> 16) & 0xFF;
        device = (device & 0xF0) | ((int) (lba >>> 24) & 0x0F);
    }

    /** Output of an LBA48 command: both bytes of every LBA register. */
    void setLba48(long lba) {
        lbaLow = (int) lba & 0xFF;
        lbaMid = (int) (lba >>> 8) & 0xFF;
        lbaHigh = (int) (lba >>> 16) & 0xFF;
        lbaLowPrevious = (int) (lba >>> 24) & 0xFF;
        lbaMidPrevious = (int) (lba >>> 32) & 0xFF;
        lbaHighPrevious = (int) (lba >>> 40) & 0xFF;
    }

    void setChs(int cylinder, int head, int sector) {
        lbaLow = sector & 0xFF;
        lbaMid = cylinder & 0xFF;
        lbaHigh = (cylinder >>> 8) & 0xFF;
        device = (device & 0xF0) | (head & 0x0F);
    }

    /** Puts a device signature in the registers (ATA 01/01/00/00, ATAPI 01/01/14/EB), device register 00h. */
    void setSignature(boolean packetDevice) {
        count = 1;
        lbaLow = 1;
        lbaMid = packetDevice ? 0x14 : 0x00;
        lbaHigh = packetDevice ? 0xEB : 0x00;
        device = 0;
    }

    void clear() {
        features = featuresPrevious = count = countPrevious = 0;
        lbaLow = lbaLowPrevious = lbaMid = lbaMidPrevious = lbaHigh = lbaHighPrevious = device = 0;
    }
}
