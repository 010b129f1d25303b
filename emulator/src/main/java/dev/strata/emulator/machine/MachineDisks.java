package dev.strata.emulator.machine;

import dev.strata.storage.StorageException;
import dev.strata.storage.chain.DiskChain;
import dev.strata.storage.chain.ChainOpener;
import dev.strata.storage.chain.FileChains;
import dev.strata.storage.chain.ParentResolver;
import dev.strata.storage.image.DiskImage;
import dev.strata.storage.image.DiskImages;
import dev.strata.storage.image.ImageFormat;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Opens the images a machine's drives use and closes them again. Hard disks open through the chain layer
 * ({@link FileChains}), so any format Strata reads and any differencing chain works. In snapshot mode every
 * writable hard disk gets a throwaway VDI differencing image in a private temporary folder (as QEMU's
 * {@code -snapshot} does): the guest writes there, the originals are opened read-only, and {@link #close()}
 * deletes the folder.
 */
final class MachineDisks {

    private final boolean snapshot;
    private Path scratch;
    private int diffs;

    private final ChainOpener chains;
    private final ParentResolver resolver;

    MachineDisks(boolean snapshot, ParentResolver resolver) {
        this.snapshot = snapshot;
        this.resolver = resolver;
        this.chains = resolver == null ? FileChains.opener() : FileChains.opener(resolver);
    }

    /** The format recorded for a file (a VM's media), or null: an image given by path alone is probed. */
    private ImageFormat knownFormat(Path path) throws IOException {
        return resolver == null ? null : resolver.knownFormat(path);
    }

    /** A floppy image: any single image; a file we may not write is opened read-only. */
    DiskImage floppy(Path path) throws IOException {
        if (path == null) {
            return null;
        }
        requireFile(path, "floppy");
        return DiskImages.open(path, !Files.isWritable(path), knownFormat(path), null);
    }

    /** An ISO image for the CD-ROM drive, always read-only. */
    DiskImage cdrom(Path path) throws IOException {
        if (path == null) {
            return null;
        }
        requireFile(path, "CD-ROM (ISO)");
        DiskImage iso = DiskImages.open(path, true, knownFormat(path), null);
        if (iso.size() % 2048 != 0) {
            long size = iso.size();
            iso.close();
            throw new StorageException(path, "an ISO image is a whole number of 2048-byte sectors, but this file is "
                    + size + " bytes; check that it is a CD image");
        }
        return iso;
    }

    /**
     * A hard disk: the image with its whole differencing chain; read-only when {@code readOnly} (a readonly medium
     * or a file we may not write; the guest then gets write errors), or over a throwaway diff in snapshot mode.
     */
    DiskImage hardDisk(Path path, boolean readOnly) throws IOException {
        if (path == null) {
            return null;
        }
        requireFile(path, "hard disk");
        boolean locked = readOnly || !Files.isWritable(path);
        if (!snapshot || locked) {
            return chains.open(path, locked);
        }
        DiskChain original = chains.open(path, true);
        try {
            Path diff = scratch().resolve("snapshot-" + (diffs++) + ".vdi");
            DiskImage top = DiskImages.createDiff(diff, original.top(), ImageFormat.VDI);
            List<DiskImage> layers = new ArrayList<>(original.layers());
            layers.add(top);
            return DiskChain.of(layers);
        } catch (IOException | RuntimeException e) {
            original.close();
            throw e;
        }
    }

    private Path scratch() throws IOException {
        if (scratch == null) {
            scratch = Files.createTempDirectory("strata-snapshot-");
        }
        return scratch;
    }

    /** The folder holding this run's throwaway diffs, or null when none was made. */
    Path scratchFolder() {
        return scratch;
    }

    /** Deletes the throwaway diffs; call after the images are closed. */
    void close() throws IOException {
        if (scratch == null) {
            return;
        }
        try (Stream<Path> files = Files.walk(scratch)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
        scratch = null;
    }

    private static void requireFile(Path path, String what) throws IOException {
        if (!Files.exists(path)) {
            throw new FileNotFoundException(path + ": no such " + what + " image file (check the path)");
        }
        DiskImages.requireImageFile(path);
    }
}
