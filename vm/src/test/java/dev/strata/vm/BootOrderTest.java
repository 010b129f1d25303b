package dev.strata.vm;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.strata.emulator.machine.MachineSettings;
import dev.strata.emulator.machine.SataDrive;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** A VM's boot order keeps the letters with a drive behind them, IDE or SATA. */
class BootOrderTest {
    private static final Path IMAGE = Path.of("/x/disk.vdi");

    @Test
    void aSataDiskIsDriveC() {
        assertEquals("c", BootOrder.present("adc", new MachineSettings().sata(3, SataDrive.hardDisk(IMAGE, false))));
    }

    @Test
    void aSataCdIsDriveD() {
        assertEquals("d", BootOrder.present("adc", new MachineSettings().sata(0, SataDrive.dvd(IMAGE))));
    }

    @Test
    void ideDrivesAndFloppiesCountAsBefore() {
        assertEquals("ac", BootOrder.present("adc", new MachineSettings().floppy(0, IMAGE).hardDisk(2, IMAGE)));
        assertEquals("dc", BootOrder.present("dc", new MachineSettings().cdrom(IMAGE).hardDisk(0, IMAGE)));
        assertEquals("c", BootOrder.present("ad", new MachineSettings()), "nothing there: try the hard disk");
    }
}
