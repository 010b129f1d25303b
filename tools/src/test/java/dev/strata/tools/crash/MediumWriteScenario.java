package dev.strata.tools.crash;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.Callable;

/**
 * {@code strata medium write} of up to 2 MiB at a random offset into the top of a two-image chain: after a kill,
 * every byte outside the range is what was flushed before, every byte inside is old or new, and a rerun writes it all.
 */
final class MediumWriteScenario implements KillScenario {
    private final CampaignHome home;
    private final Random random;
    private final Path top;
    private byte[] before;
    private byte[] data;
    private long offset;
    private Path input;

    MediumWriteScenario(CampaignHome home, Random random) throws Exception {
        this.home = home;
        this.random = random;
        Path base = home.file("base.vdi");
        home.ok("setup", "medium", "create", "--filename", base.toString(), "--size", "4M");
        home.write("setup", base, 0, Patterns.random(random, 4 << 20));
        top = home.file("top.vdi");
        home.ok("setup", "medium", "create", "--filename", top.toString(), "--diff", base.toString());
    }

    @Override
    public String operation() {
        return "medium write";
    }

    @Override
    public void prepare(int round) throws Exception {
        before = home.view(top);
        data = Patterns.random(random, (64 << 10) + random.nextInt(2 << 20));
        offset = random.nextInt(before.length - data.length + 1);
        input = Files.write(home.file("data.bin"), data);
    }

    @Override
    public Callable<?> begin(StandbyChild child) throws Exception {
        child.run(home.path(), "medium", "write", top.toString(), "--offset", Long.toString(offset), "--input",
                input.toString());
        return Patterns.succeeds(child);
    }

    @Override
    public void verify(String where) throws Exception {
        home.checkImages(where);
        byte[] got = home.view(top);
        for (int i = 0; i < got.length; i++) {
            boolean inside = i >= offset && i < offset + data.length;
            if (got[i] != before[i] && !(inside && got[i] == data[(int) (i - offset)])) {
                fail(where + ": byte " + i + " of the disk is " + got[i] + ", neither what was flushed before ("
                        + before[i] + ")" + (inside ? " nor what the write brought (" + data[(int) (i - offset)] + ")"
                        : ", and it lies outside the write at " + offset + " (+" + data.length + ")"));
            }
        }
        home.ok(where + ": the rerun", "medium", "write", top.toString(), "--offset", Long.toString(offset),
                "--input", input.toString());
        byte[] after = home.view(top);
        assertArrayEquals(data, Arrays.copyOfRange(after, (int) offset, (int) offset + data.length),
                where + ": the rerun wrote everything");
    }
}
