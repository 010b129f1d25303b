package dev.strata.tools.crash;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.tools.TemporaryStrataHome;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Kills {@code strata} with SIGKILL at random points of every operation that changes images or VMs (medium write,
 * clone and merge; offline snapshot take, restore and delete; vm start, savestate and online snapshots), over two
 * hundred times, and checks after each kill that every image checks clean, every VM opens in a state a crash may
 * leave, the data flushed before is intact, and a rerun completes the operation (or it had rolled back).
 */
@Timeout(1200) // 205 kills took 565 s on two cores at a load average of 15
class KillCampaignTest {
    @RegisterExtension
    final TemporaryStrataHome strataHome = new TemporaryStrataHome();

    private static CampaignHome home(Path root, String name) throws java.io.IOException {
        return new CampaignHome(root.resolve(name));
    }

    @Test
    void everyOperationKilledAtRandomPointsLeavesCheckedImagesOpenVmsAndIntactData() throws Exception {
        long seed = Long.getLong(KillCampaign.SEED_PROPERTY, 20261204L);
        Path root = strataHome.path();
        Path logs = Files.createDirectories(root.resolve("logs"));
        long t0 = System.nanoTime();
        try (KillCampaign campaign = new KillCampaign(seed, logs)) {
            campaign.run(new VmStartScenario(home(root, "start"), campaign.random()), 20);
            campaign.run(new SaveStateScenario(home(root, "save"), campaign.random()), 20);
            campaign.run(new LiveSnapshotScenario(home(root, "live"), campaign.random()), 20);
            campaign.run(new MediumWriteScenario(home(root, "write"), campaign.random()), 35);
            campaign.run(new MediumCloneScenario(home(root, "clone"), campaign.random()), 25);
            campaign.run(new MediumMergeScenario(home(root, "merge"), campaign.random()), 25);
            campaign.run(new SnapshotTakeScenario(home(root, "take"), campaign.random()), 20);
            campaign.run(new SnapshotRestoreScenario(home(root, "restore"), campaign.random()), 20);
            campaign.run(new SnapshotDeleteScenario(home(root, "delete"), campaign.random()), 20);
            long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - t0);
            int total = campaign.kills().values().stream().mapToInt(Integer::intValue).sum();
            System.out.println("kill campaign (seed " + seed + "): " + total + " kills in " + seconds + " s\n"
                    + campaign.report());
            assertTrue(total >= 200, "only " + total + " kills");
        }
    }
}
