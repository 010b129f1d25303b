package dev.strata.tools.crash;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.concurrent.Callable;

/**
 * {@code strata medium clone} of a two-image chain: after a kill the source reads as before, a target that exists is
 * a whole copy, and a rerun (or the finished clone) leaves an exact copy that checks clean.
 */
final class MediumCloneScenario implements KillScenario {
    private final CampaignHome home;
    private final Path top;
    private final Path target;
    private final byte[] source;

    MediumCloneScenario(CampaignHome home, Random random) throws Exception {
        this.home = home;
        Path base = home.file("base.vdi");
        home.ok("setup", "medium", "create", "--filename", base.toString(), "--size", "4M");
        home.write("setup", base, 0, Patterns.random(random, 4 << 20));
        top = home.file("top.vdi");
        home.ok("setup", "medium", "create", "--filename", top.toString(), "--diff", base.toString());
        home.write("setup", top, 1 << 20, Patterns.random(random, 1 << 20));
        source = home.view(top);
        target = home.file("copy.vdi");
    }

    @Override
    public String operation() {
        return "medium clone";
    }

    @Override
    public void prepare(int round) throws Exception {
        if (Files.exists(target)) {
            // a clone killed between putting the copy in place and registering it left it unregistered: using it
            // registers it
            home.ok("clearing the last copy", "medium", "info", target.toString());
            home.ok("clearing the last copy", "medium", "close", target.toString(), "--delete");
        }
    }

    @Override
    public Callable<?> begin(StandbyChild child) throws Exception {
        child.run(home.path(), "medium", "clone", top.toString(), target.toString());
        return Patterns.succeeds(child);
    }

    @Override
    public void verify(String where) throws Exception {
        home.checkImages(where);
        assertArrayEquals(source, home.view(top), where + ": the source reads as before");
        if (Files.exists(target)) {
            assertArrayEquals(source, home.view(target), where + ": a target under its own name is a whole copy");
        } else {
            home.ok(where + ": the rerun", "medium", "clone", top.toString(), target.toString());
        }
        assertArrayEquals(source, home.view(target), where + ": the copy");
        home.checkImages(where + ", after the rerun");
    }
}
