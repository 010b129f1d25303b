package dev.strata.storage.chain;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Random;

/** Creates and deletes image files of one kind for chain tests, and opens them. */
interface ImageFactory extends ImageOpener {

    /** Creates a base image in {@code name}, a file in the test folder; returns its path. */
    Path createBase(String name, long size, Random random) throws IOException;

    /** Creates a differencing image in {@code name} over the closed image {@code parent}. */
    Path createDiff(String name, Path parent, Random random) throws IOException;

    void delete(Path file) throws IOException;

    /** File name extension the factory's files carry, for {@link FolderParentResolver}. */
    String extension();

    /**
     * Turns some whole blocks of the closed differencing image {@code file} into blocks held in part, leaving to the
     * parent the sectors where {@code below} (what the parent shows) has the same bytes, when the format records
     * presence per sector; returns how many blocks changed (0 when the format cannot).
     */
    default int thinOut(Path file, dev.strata.storage.image.DiskImage below, Random random) throws IOException {
        return 0;
    }

    /** The image sizes this kind accepts are multiples of this. */
    default int sizeGranularity() {
        return 512;
    }
}
