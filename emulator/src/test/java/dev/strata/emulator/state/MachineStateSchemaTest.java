package dev.strata.emulator.state;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.emulator.clock.ClockMode;
import dev.strata.emulator.machine.MachineSettings;
import dev.strata.emulator.machine.PcMachine;
import dev.strata.emulator.machine.SataDrive;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the emulator's devices save is frozen in {@code machine-state.schema}: a change to it without a section
 * version bump fails here with what to do. Regenerate the file after deciding the versions with
 * {@value #REGENERATE}.
 */
class MachineStateSchemaTest {

    static final String REGENERATE = "mvn -B -o -q -pl emulator -am test -Dtest=MachineStateSchemaTest "
            + "-Dsurefire.failIfNoSpecifiedTests=false -D" + StateSchemaFile.UPDATE + "=true";

    static final Path FILE = Path.of("src/test/resources/dev/strata/emulator/state/machine-state.schema");

    @TempDir
    Path dir;

    @Test
    void everySectionTheDevicesSaveMatchesTheCommittedSchema() throws Exception {
        Path disk = Files.write(dir.resolve("hd.img"), new byte[4 << 20]);
        Path cd = Files.write(dir.resolve("cd.iso"), new byte[2048 * 16]);
        // with SATA drives, so the AHCI controller's section (only on such machines) is frozen too
        PcMachine machine = new PcMachine(new MachineSettings().hardDisk(0, disk).cdrom(cd)
                .sata(0, SataDrive.hardDisk(disk, false)).sata(1, SataDrive.dvd(cd))
                .clockMode(ClockMode.DETERMINISTIC).firmware(new StateTestFirmware()));
        // the firmware's section belongs to the firmware (Strata's BIOS has its own schema file)
        String current = MachineStateSchema.describe(machine, tag -> !tag.equals("firmware"));
        List<String> problems = StateSchemaFile.check(FILE, current, REGENERATE);
        assertTrue(problems.isEmpty(), String.join("\n", problems));
    }
}
