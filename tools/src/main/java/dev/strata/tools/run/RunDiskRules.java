package dev.strata.tools.run;

import dev.strata.emulator.vm.VirtualMachines;
import dev.strata.emulator.vm.VmMediumUsers;
import dev.strata.storage.StorageException;
import dev.strata.storage.media.MediaRegistry;
import dev.strata.storage.media.MediaRules;
import dev.strata.storage.media.Medium;
import dev.strata.storage.media.MediumType;
import dev.strata.storage.media.StrataHome;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Holds {@code strata run} to the media rules for a hard disk the guest will write in place: a registered medium
 * that the host may not write (frozen by a snapshot, with children, immutable, a Saved or running VM's disk) is
 * refused, with {@code --snapshot} as the way to run it anyway. Unregistered images are the user's own business.
 */
final class RunDiskRules {

    private RunDiskRules() {
    }

    static void checkWritable(Path image) throws IOException {
        Path home = StrataHome.resolve();
        MediaRegistry registry;
        Optional<Medium> m;
        List<Medium> chain;
        try {
            registry = MediaRegistry.load(home);
            m = registry.findByPath(image);
            if (m.isEmpty()) {
                return;
            }
            chain = registry.chain(m.get().uuid());
        } catch (StorageException e) {
            return; // an unreadable registry: ReadOnlyMedia has said so, and the image runs as an unregistered one
        }
        MediumType effective = chain.get(chain.size() - 1).type();
        if (effective == MediumType.READONLY) {
            return; // opened read-only: the guest sees write errors
        }
        try {
            new MediaRules(registry, new VmMediumUsers(new VirtualMachines(home))).checkHostWrite(m.get(), effective);
        } catch (StorageException e) {
            throw new StorageException(null, e.getMessage() + "; or run with --snapshot to keep the guest's writes in "
                    + "a throwaway diff", e);
        }
    }
}
