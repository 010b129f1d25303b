package dev.strata.storage.chain;

import dev.strata.storage.Progress;
import dev.strata.storage.image.DiskImage;
import dev.strata.storage.image.DiskImages;
import dev.strata.storage.image.ImageDrivers;
import dev.strata.storage.image.ImageFormat;
import dev.strata.storage.image.ImageStaging;
import dev.strata.storage.image.ImageVariant;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Set;

/**
 * Chains of image files through Strata's own drivers ({@link DiskImages}): the defaults the command line uses
 * for {@code medium merge} and {@code medium clone} when no media registry is involved.
 */
public final class FileChains {

    /** Extensions of the files searched for parents next to a child: every registered format's. */
    public static final Set<String> PARENT_EXTENSIONS = ImageDrivers.extensions();

    private FileChains() {
    }

    /** Opens chains, finding parents among the image files in the child's folder. */
    public static ChainOpener opener() {
        ImageOpener images = DiskImages::open;
        return new ChainOpener(images, new FolderParentResolver(images, PARENT_EXTENSIONS));
    }

    /**
     * Opens chains, finding parents through {@code resolver} (a media registry, say) and opening each file as the
     * format it records for it (probing only files it knows nothing of).
     */
    public static ChainOpener opener(ParentResolver resolver) {
        ImageOpener images = (path, readOnly) -> DiskImages.open(path, readOnly, resolver.knownFormat(path), null);
        return new ChainOpener(images, resolver);
    }

    /** Merges image files, finding parents in the child's folder. */
    public static MediumMerger merger() {
        return new MediumMerger(opener());
    }

    /**
     * {@code strata medium clone}: creates {@code target} as a new standalone image of {@code format} and
     * {@code variant} holding what the chain topped by {@code source} shows. The source is opened read-only; the copy
     * is built under a partial name and takes the name {@code target} only when complete ({@link ImageStaging}).
     *
     * @param progress receives bytes done out of the disk size
     * @return bytes written to the target (zero ranges are skipped)
     */
    public static long clone(ChainOpener chains, Path source, Path target, ImageFormat format, ImageVariant variant,
            Progress progress) throws IOException {
        try (DiskChain chain = chains.open(source, true)) {
            Path partial = ImageStaging.begin(target);
            boolean done = false;
            try {
                long written;
                if (variant.writeOnce()) {
                    try (DiskImage created = DiskImages.createCopy(partial, format, variant, chain, progress)) {
                        written = created.allocatedBytes();
                    }
                } else {
                    try (DiskImage created = DiskImages.create(partial, format, variant, chain.size())) {
                        written = ChainCloner.copy(chain, created, progress);
                    }
                }
                ImageStaging.publish(partial, target);
                done = true;
                return written;
            } finally {
                if (!done) {
                    ImageStaging.abandon(partial);
                }
            }
        }
    }
}
