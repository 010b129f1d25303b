package dev.strata.storage.chain;

import dev.strata.storage.Progress;
import dev.strata.storage.image.DiskImage;
import dev.strata.storage.image.DiskImages;
import dev.strata.storage.image.ImageFormat;
import dev.strata.storage.image.ImageVariant;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;

/**
 * Chains of image files through Strata's own drivers ({@link DiskImages}): the defaults the command line uses
 * for {@code medium merge} and {@code medium clone} when no media registry is involved.
 */
public final class FileChains {

    /** Extensions of the files searched for parents next to a child (a VDI diff may sit over a raw disk). */
    public static final Set<String> PARENT_EXTENSIONS = Set.of("vdi", "raw", "img");

    private FileChains() {
    }

    /** Opens chains, finding parents among the image files in the child's folder. */
    public static ChainOpener opener() {
        ImageOpener images = DiskImages::open;
        return new ChainOpener(images, new FolderParentResolver(images, PARENT_EXTENSIONS));
    }

    /** Opens chains, finding parents through {@code resolver} (a media registry, say). */
    public static ChainOpener opener(ParentResolver resolver) {
        return new ChainOpener(DiskImages::open, resolver);
    }

    /** Merges image files, finding parents in the child's folder. */
    public static MediumMerger merger() {
        return new MediumMerger(opener());
    }

    /**
     * {@code strata medium clone}: creates {@code target} as a new standalone image of {@code format} and
     * {@code variant} holding what the chain topped by {@code source} shows. The source is opened read-only; if
     * the copy fails the half-made target is deleted.
     *
     * @param progress receives bytes done out of the disk size
     * @return bytes written to the target (zero ranges are skipped)
     */
    public static long clone(ChainOpener chains, Path source, Path target, ImageFormat format, ImageVariant variant,
            Progress progress) throws IOException {
        try (DiskChain chain = chains.open(source, true)) {
            DiskImage created = DiskImages.create(target, format, variant, chain.size());
            boolean done = false;
            try (created) {
                long written = ChainCloner.copy(chain, created, progress);
                done = true;
                return written;
            } finally {
                if (!done) {
                    Files.deleteIfExists(target);
                }
            }
        }
    }
}
