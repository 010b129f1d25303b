package dev.strata.guests.state;

import dev.strata.emulator.state.SavedState;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Run in a separate JVM by {@link DemoGuestSavedStateTest}: restores a demo-guest state onto a new machine, runs
 * to the end and writes what the tail printed and showed to a file. Arguments: image, state file, output file.
 */
public final class RestoreAndFinish {

    private RestoreAndFinish() {
    }

    public static void main(String[] args) throws Exception {
        try (CheckpointedBoot boot = new CheckpointedBoot(Path.of(args[0]))) {
            SavedState.restore(boot.machine, Path.of(args[1]));
            CheckpointedBoot.Tail tail = boot.finish(DemoGuestSavedStateTest.EXPECT);
            Files.writeString(Path.of(args[2]), format(tail), StandardCharsets.ISO_8859_1);
        }
        System.exit(0);
    }

    static String format(CheckpointedBoot.Tail tail) {
        return tail.outcome() + "\n" + tail.allMet() + "\n" + tail.instructions() + "\n--- COM1\n" + tail.serial()
                + "\n--- screen\n" + tail.screen();
    }
}
