package dev.strata.tools.crash;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import dev.strata.storage.media.MediaRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.concurrent.Callable;

/**
 * {@code strata medium merge MID} of a chain base ← MID ← top, MID and top each holding data of their own: after a
 * kill the chain reads as before and checks clean, and a rerun (or the finished merge) leaves top directly on base,
 * still reading the same.
 */
final class MediumMergeScenario implements KillScenario {
    private final CampaignHome home;
    private final Random random;
    private final Path base;
    private Path mid;
    private Path top;
    private byte[] expected;

    MediumMergeScenario(CampaignHome home, Random random) throws Exception {
        this.home = home;
        this.random = random;
        base = home.file("base.vdi");
        home.ok("setup", "medium", "create", "--filename", base.toString(), "--size", "4M");
        home.write("setup", base, 0, Patterns.random(random, 4 << 20));
    }

    @Override
    public String operation() {
        return "medium merge";
    }

    @Override
    public void prepare(int round) throws Exception {
        mid = home.file("mid-" + round + ".vdi");
        top = home.file("top-" + round + ".vdi");
        home.ok("setup", "medium", "create", "--filename", mid.toString(), "--diff", base.toString());
        home.write("setup", mid, random.nextInt(2 << 20), Patterns.random(random, 1 << 20));
        home.ok("setup", "medium", "create", "--filename", top.toString(), "--diff", mid.toString());
        home.write("setup", top, random.nextInt(2 << 20), Patterns.random(random, 1 << 20));
        expected = home.view(top);
    }

    @Override
    public Callable<?> begin(StandbyChild child) throws Exception {
        child.run(home.path(), "medium", "merge", mid.toString());
        return Patterns.succeeds(child);
    }

    @Override
    public void verify(String where) throws Exception {
        home.checkImages(where);
        assertArrayEquals(expected, home.view(top), where + ": the chain reads as before");
        // the merge is unfinished while its file or its registry entry is left (medium list names such a merge)
        if (Files.exists(mid) || MediaRegistry.load(home.path()).findByPath(mid.toAbsolutePath().normalize())
                .isPresent()) {
            home.ok(where + ": the rerun", "medium", "merge", mid.toString());
        }
        assertArrayEquals(expected, home.view(top), where + ": the chain reads as before after the merge");
        home.checkImages(where + ", after the merge");
        // the next round starts from base alone again
        home.ok(where + ": merging the top away", "medium", "merge", top.toString());
        assertArrayEquals(expected, home.view(base), where + ": base holds what the chain showed");
    }
}
