package dev.strata.emulator.vm;

import dev.strata.storage.StorageException;
import dev.strata.storage.chain.ChainOpener;
import dev.strata.storage.chain.DiskChain;
import dev.strata.storage.chain.FileChains;
import dev.strata.storage.image.DiskImage;
import dev.strata.storage.image.DiskImages;
import dev.strata.storage.media.MediaRegistry;
import dev.strata.storage.media.Medium;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.UUID;

/** A VM's view of the media registry: the medium of an attachment, its chains, and new diffs in the VM folder. */
final class VmMedia {
    private final MediaRegistry registry;
    private final VirtualMachine vm;

    VmMedia(MediaRegistry registry, VirtualMachine vm) {
        this.registry = registry;
        this.vm = vm;
    }

    MediaRegistry registry() {
        return registry;
    }

    /** The registered medium of {@code a}; the error says how to re-register it. */
    Medium medium(Attachment a) throws StorageException {
        Optional<Medium> m = registry.find(a.medium);
        if (m.isEmpty() && a.mediumPath != null) {
            m = registry.findByPath(Path.of(a.mediumPath));
        }
        return m.orElseThrow(() -> new StorageException(vm.settingsFile(), "attachment " + a.slot() + " names medium "
                + a.medium + " (" + a.mediumPath + "), which is not in the media registry " + registry.file()
                + "; attach the image again with `strata vm attach`"));
    }

    /** Chains whose parents are found through the registry, then in the child's folder. */
    ChainOpener chains() {
        return FileChains.opener(chainFiles());
    }

    /** Parents and recorded formats of this VM's chain files (see {@link VmChainFiles}). */
    VmChainFiles chainFiles() {
        return new VmChainFiles(registry, vm);
    }

    /** The file writes of {@code a} go to (its current diff, else the medium). */
    static Path top(Attachment a) {
        return Path.of(a.current != null ? a.current : a.mediumPath);
    }

    /** Creates a new VDI diff over {@code parent} in the VM's Snapshots folder. */
    Path newDiff(Path parent) throws IOException {
        Files.createDirectories(vm.snapshotsFolder());
        Path file = vm.snapshotsFolder().resolve("{" + UUID.randomUUID() + "}.vdi");
        UUID rawUuid = registry.findByPath(parent).map(Medium::uuid).orElse(null);
        try (DiskImage p = DiskImages.open(parent, true, chainFiles().knownFormat(parent), rawUuid);
             DiskImage diff = DiskImages.createDiff(file, p, VmChainFiles.DIFF_FORMAT)) {
            diff.flush();
        }
        return file;
    }

    /** The file under {@code diff} in its chain. */
    Path parentOf(Path diff) throws IOException {
        try (DiskChain chain = chains().open(diff, true)) {
            if (chain.depth() < 2) {
                throw new StorageException(diff, "was expected to be a differencing image but has no parent");
            }
            return chain.layer(chain.depth() - 2).path();
        }
    }

    /** The UUID and parent UUID of an image file. */
    static UUID[] ids(Path file) throws IOException {
        try (DiskImage img = DiskImages.open(file, true)) {
            return new UUID[] {img.uuid(), img.parentUuid()};
        }
    }
}
