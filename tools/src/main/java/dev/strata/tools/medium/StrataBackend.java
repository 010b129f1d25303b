package dev.strata.tools.medium;

import dev.strata.storage.Progress;
import dev.strata.storage.chain.ChainCloner;
import dev.strata.storage.chain.ChainOpener;
import dev.strata.storage.chain.FolderChildFinder;
import dev.strata.storage.chain.MediumMerger;
import dev.strata.storage.chain.MergeResult;
import dev.strata.storage.chain.ParentResolver;
import dev.strata.storage.image.DiskImage;
import dev.strata.storage.image.DiskImages;
import dev.strata.storage.image.ImageChecker;
import dev.strata.storage.image.ImageFinding;
import dev.strata.storage.image.ImageFormat;
import dev.strata.storage.image.ImageVariant;
import dev.strata.storage.media.Medium;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;

/** The medium commands' backend over Strata's own image drivers ({@link DiskImages}) and chain layer. */
final class StrataBackend implements MediumBackend {
    private final Function<Path, Optional<Medium>> registered;

    /**
     * @param registered the registry's entry for a file: its format is how the file opens (only unregistered
     *                   files are probed), its UUID is a raw file's (raw files have none of their own)
     */
    StrataBackend(Function<Path, Optional<Medium>> registered) {
        this.registered = registered;
    }

    @Override
    public DiskImage open(Path file, boolean readOnly) throws IOException {
        Optional<Medium> m = registered.apply(file);
        return DiskImages.open(file, readOnly, m.map(Medium::format).orElse(null), m.map(Medium::uuid).orElse(null));
    }

    @Override
    public DiskImage create(Path file, ImageFormat format, ImageVariant variant, long sizeBytes) throws IOException {
        return DiskImages.create(file, format, variant, sizeBytes);
    }

    @Override
    public DiskImage createCopy(Path file, ImageFormat format, ImageVariant variant, DiskImage source,
                                Progress progress) throws IOException {
        return DiskImages.createCopy(file, format, variant, source, progress);
    }

    @Override
    public DiskImage createDiff(Path file, DiskImage parent, ImageFormat format) throws IOException {
        return DiskImages.createDiff(file, parent, format);
    }

    @Override
    public DiskImage openChain(Path top, boolean readOnly, ParentResolver parents) throws IOException {
        return chains(parents).open(top, readOnly);
    }

    @Override
    public long copy(DiskImage source, DiskImage target, Progress progress) throws IOException {
        return ChainCloner.copy(source, target, progress);
    }

    @Override
    public MergeOutcome mergeIntoParent(Path child, ParentResolver parents, Progress progress) throws IOException {
        MergeResult r = new MediumMerger(chains(parents)).mergeIntoParent(child, progress);
        return new MergeOutcome(r.survivor(), r.survivorUuid());
    }

    @Override
    public void reparent(Path file, UUID expectedParent, UUID newParent, ParentResolver parents) throws IOException {
        new MediumMerger(chains(parents)).reparent(file, expectedParent, newParent);
    }

    @Override
    public List<Path> childrenInFolder(UUID uuid, Path image) throws IOException {
        return new FolderChildFinder(this::open).childrenOf(uuid, image);
    }

    @Override
    public long resize(Path file, long size) throws IOException {
        Optional<Medium> m = registered.apply(file);
        return DiskImages.resize(file, m.map(Medium::format).orElse(null), m.map(Medium::uuid).orElse(null), size);
    }

    @Override
    public long compact(Path file, Progress progress) throws IOException {
        return DiskImages.compact(file, registered.apply(file).map(Medium::format).orElse(null), progress);
    }

    @Override
    public List<CheckFinding> check(Path file, ParentResolver parents, Progress progress) throws IOException {
        List<ImageFinding> found = new ArrayList<>(ImageChecker.check(file));
        if (!ImageChecker.hasErrors(found)) {
            found.addAll(chains(parents).parentLinkFindings(file));
        }
        found.sort(Comparator.comparing(ImageFinding::severity));
        progress.update(1, 1);
        List<CheckFinding> out = new ArrayList<>();
        for (ImageFinding f : found) {
            out.add(new CheckFinding(f.severity() == ImageFinding.Severity.ERROR, f.describe()));
        }
        return out;
    }

    @Override
    public List<CheckFinding> repair(Path file) throws IOException {
        List<CheckFinding> out = new ArrayList<>();
        for (ImageFinding f : ImageChecker.repair(file)) {
            out.add(new CheckFinding(f.severity() == ImageFinding.Severity.ERROR, f.describe()));
        }
        return out;
    }

    private ChainOpener chains(ParentResolver parents) {
        return new ChainOpener(this::open, parents);
    }
}
