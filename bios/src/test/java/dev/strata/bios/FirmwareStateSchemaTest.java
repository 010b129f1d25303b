package dev.strata.bios;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.emulator.clock.ClockMode;
import dev.strata.emulator.machine.MachineSettings;
import dev.strata.emulator.machine.PcMachine;
import dev.strata.emulator.state.MachineStateSchema;
import dev.strata.emulator.state.StateSchemaFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What Strata's BIOS saves in the firmware section is frozen in {@code firmware-state.schema}: a change without a
 * bump of {@link StrataBios#stateVersion()} fails here with what to do. Regenerate the file after deciding the
 * version with {@value #REGENERATE}.
 */
class FirmwareStateSchemaTest {

    static final String REGENERATE = "mvn -B -o -q -pl bios -am test -Dtest=FirmwareStateSchemaTest "
            + "-Dsurefire.failIfNoSpecifiedTests=false -D" + StateSchemaFile.UPDATE + "=true";

    static final Path FILE = Path.of("src/test/resources/dev/strata/bios/firmware-state.schema");

    @TempDir
    Path dir;

    @Test
    void theBiosStateMatchesTheCommittedSchema() throws Exception {
        Path floppy = Files.write(dir.resolve("fd.img"), new byte[1474560]);
        Path disk = Files.write(dir.resolve("hd.img"), new byte[4 << 20]);
        Path cd = Files.write(dir.resolve("cd.iso"), new byte[2048 * 16]);
        PcMachine machine = new PcMachine(new MachineSettings().floppy(0, floppy).hardDisk(0, disk).cdrom(cd)
                .clockMode(ClockMode.DETERMINISTIC).firmware(new StrataBios()));
        String current = MachineStateSchema.describe(machine, "firmware"::equals);
        List<String> problems = StateSchemaFile.check(FILE, current, REGENERATE);
        assertTrue(problems.isEmpty(), String.join("\n", problems));
    }
}
