package dev.strata.guests.freedos;

import java.io.IOException;
import java.nio.file.Path;

/** Lets guest tests outside this package make the same FreeDOS working floppy as the FreeDOS tests. */
public final class FreeDosTestImages {

    private FreeDosTestImages() {
    }

    /** A working copy of the shared FreeDOS floppy (see {@link FreeDosFloppy}). */
    public static Path floppy(Path shared, Path target) throws IOException, InterruptedException {
        return FreeDosFloppy.copy(shared, target);
    }
}
