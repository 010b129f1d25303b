package dev.strata.tools.medium;

import dev.strata.storage.StorageException;
import dev.strata.storage.image.DiskImages;
import dev.strata.storage.media.ImageLock;
import dev.strata.storage.media.LockMode;
import dev.strata.storage.media.Medium;
import dev.strata.storage.media.MediumAudit;
import dev.strata.storage.media.MediumType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code strata medium merge}: folds a differencing image into its parent, re-points its children to the
 * parent, and deletes it once the merge is durable. Interrupted, it can simply be run again.
 *
 * <p>Its children are those the registry knows plus those in its own folder (registered on the way); a child
 * elsewhere that this Strata home does not know cannot be found, and would be orphaned (README says so).
 */
@Command(name = "merge", mixinStandardHelpOptions = true, description = "Merge a differencing image CHILD into its parent, then delete CHILD.")
final class MergeCommand extends MediumSubcommand {
    @Parameters(paramLabel = "CHILD", description = "The differencing image (path or UUID).")
    String child;

    @Override
    int run(MediaSession s) throws Exception {
        Medium c = s.medium(child);
        if (!c.isDiff()) {
            throw new StorageException(c.path(), "is a base image (no parent); there is nothing to merge it into");
        }
        Medium parent = s.registry().require(c.parentUuid());
        if (MediumAudit.mergedAway(s.registry(), c)) {
            // killed between deleting the merged image and updating the registry: only the registry is left to do
            List<Medium> children = s.registry().children(c.uuid());
            forget(s, c, parent, children);
            out().printf("Finished the interrupted merge of %s into %s%n", c.path(), parent.path());
            return 0;
        }
        s.rules().checkMerge(c, parent);
        registerChildrenInFolder(s, parent); // a sibling nobody registered would change under the merge too
        List<Medium> siblings = new ArrayList<>(s.registry().children(parent.uuid()));
        siblings.removeIf(m -> m.uuid().equals(c.uuid()));
        if (!siblings.isEmpty()) {
            throw new StorageException(parent.path(), "has other differencing images besides " + c.path() + " ("
                    + siblings.get(0).path() + (siblings.size() > 1 ? ", ..." : "") + "); merging into it would change"
                    + " what they show; merge or close them first");
        }
        MediumType type = s.effectiveType(parent);
        if (!type.guestWritesReachImage()) {
            throw new StorageException(parent.path(), "is a " + type.cliName() + " medium; its content must not "
                    + "change, so nothing can be merged into it");
        }
        registerChildrenInFolder(s, c); // a child the registry does not know would be orphaned by the merge
        List<Medium> grandchildren = s.registry().children(c.uuid());
        s.lockChain(parent, true);
        s.lock(c, LockMode.EXCLUSIVE);
        for (Medium g : grandchildren) {
            s.requireFile(g);
            s.lock(g, LockMode.EXCLUSIVE);
        }
        MediumBackend.MergeOutcome done = s.backend().mergeIntoParent(c.path(), s.parents(),
                TerminalProgress.forTask("Merging"));
        if (!done.survivorUuid().equals(parent.uuid())) {
            throw new StorageException(c.path(), "was merged into " + done.survivor() + " (" + done.survivorUuid()
                    + "), not into its registered parent " + parent.path() + "; check the registry with "
                    + "`strata medium list`");
        }
        for (Medium g : grandchildren) {
            s.backend().reparent(g.path(), c.uuid(), parent.uuid(), s.parents());
        }
        if (grandchildren.isEmpty()) {
            // killed between the two, an unregistered copy of merged data is left, which a rerun merges again
            forget(s, c, parent, grandchildren);
            delete(c);
        } else {
            // a registry naming children of a merged image whose file is kept would refuse the rerun (the parent
            // "has other children"); with the file gone first, a merge killed between the two is recognised by
            // the children naming its parent (MediumAudit.mergedAway), and a rerun only updates the registry
            delete(c);
            forget(s, c, parent, grandchildren);
        }
        out().printf("Merged %s into %s%s; deleted %s%n", c.path(), parent.path(), grandchildren.isEmpty() ? ""
                : " and re-pointed " + grandchildren.size() + " child image(s) to it", c.path().getFileName());
        return 0;
    }

    /** Deletes the merged image's files and its lock file. */
    private static void delete(Medium c) throws IOException {
        if (Files.exists(c.path())) {
            DiskImages.delete(c.path(), c.format());
        }
        Files.deleteIfExists(ImageLock.lockFile(c.path()));
    }

    /** The registry's half of a merge: the children point at the parent, and the merged image is forgotten. */
    private static void forget(MediaSession s, Medium c, Medium parent, List<Medium> children) throws IOException {
        s.change(r -> {
            for (Medium g : children) {
                r.update(r.require(g.uuid()).withParent(parent.uuid()));
            }
            r.unregister(c.uuid());
        });
    }

    /** Registers the differencing images in {@code m}'s folder that name it as their parent. */
    private static void registerChildrenInFolder(MediaSession s, Medium m) throws IOException {
        for (Path found : s.backend().childrenInFolder(m.uuid(), m.path())) {
            if (s.registry().findByPath(found).isEmpty()) {
                s.registerExisting(found);
            }
        }
    }
}
