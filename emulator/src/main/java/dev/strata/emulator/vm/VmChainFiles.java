package dev.strata.emulator.vm;

import dev.strata.storage.chain.ParentResolver;
import dev.strata.storage.image.ImageFormat;
import dev.strata.storage.media.MediaRegistry;
import java.io.IOException;
import java.nio.file.Path;
import java.util.UUID;

/**
 * What a VM knows about the files of its disk chains: parents and formats from the media registry, and the
 * differencing images the VM made itself (everything in its Snapshots folder), which are VDI whatever their
 * content says, so a damaged diff fails to open instead of passing for a raw disk.
 */
final class VmChainFiles implements ParentResolver {
    /** The format of every differencing image a VM makes, whatever the format of the disk under it. */
    static final ImageFormat DIFF_FORMAT = ImageFormat.VDI;

    private final MediaRegistry registry;
    private final Path snapshotsFolder;

    VmChainFiles(MediaRegistry registry, VirtualMachine vm) {
        this.registry = registry;
        this.snapshotsFolder = vm.snapshotsFolder().toAbsolutePath().normalize();
    }

    @Override
    public Path resolve(UUID parent, Path child) throws IOException {
        return registry.resolve(parent, child);
    }

    @Override
    public ImageFormat knownFormat(Path file) {
        ImageFormat registered = registry.knownFormat(file);
        if (registered != null) {
            return registered;
        }
        return file.toAbsolutePath().normalize().startsWith(snapshotsFolder) ? DIFF_FORMAT : null;
    }
}
