package dev.strata.guests.linux;

import dev.strata.emulator.state.SavedState;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Run in a separate JVM by {@link LinuxDiskBootTest}: restores a Linux boot saved halfway onto a new machine with the
 * same disk, types the same commands at the prompt and writes what followed to a file. Arguments: disk image, state
 * file, output file.
 */
public final class LinuxRestoreAndFinish {

    private LinuxRestoreAndFinish() {
    }

    public static void main(String[] args) throws Exception {
        try (LinuxConsole console = new LinuxConsole(LinuxDiskBootTest.settings(Path.of(args[0])))) {
            SavedState.restore(console.machine, Path.of(args[1]));
            console.onSerial(LinuxGuest.PROMPT, LinuxBootTest.COMMANDS);
            LinuxConsole.Result tail = console.run(LinuxDiskBootTest.EXPECT, LinuxBootTest.HOST_SECONDS);
            Files.writeString(Path.of(args[2]), format(tail), StandardCharsets.ISO_8859_1);
        }
        System.exit(0);
    }

    static String format(LinuxConsole.Result r) {
        return r.outcome() + "\n" + r.allMet() + "\n" + r.instructions() + "\n--- COM1\n" + r.serial()
                + "\n--- screen\n" + r.screen();
    }
}
