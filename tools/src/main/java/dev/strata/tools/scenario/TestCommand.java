package dev.strata.tools.scenario;

import dev.strata.tools.StrataCommand;
import dev.strata.vm.scenario.Scenario;
import dev.strata.vm.scenario.ScenarioOptions;
import dev.strata.vm.scenario.ScenarioParser;
import dev.strata.vm.scenario.ScenarioResult;
import dev.strata.vm.scenario.ScenarioRunner;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code strata test}: runs guest test scenarios, several at once, each deterministic on a machine of its own; prints
 * a line per scenario and writes a JUnit report for CI. Shards split a suite over many hosts.
 */
@Command(name = "test", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Run guest test scenarios (YAML files): each boots its machine deterministically and runs its"
                + " steps; the same scenario passes or fails the same way on every run and host.",
            "Images a scenario names are only read (floppies are copied, disks run over throwaway differencing"
                + " images), so many runs can share them. Each run leaves serial.log and screen.txt in"
                + " OUTPUT/NAME/, and after a failure failed.sav (resume it with strata run --restore-state), and"
                + " after a failed screen compare actual.png and diff.png.",
            "A machine: {vm: NAME} boots a VM of the Strata home and leaves it as it was, unless persist: true.",
            "Exit status: 0 when every scenario passed, 1 when one failed, 2 for a mistake in the command or a"
                + " scenario file."})
public final class TestCommand extends StrataCommand {

    @Parameters(arity = "1..*", paramLabel = "SCENARIO", description = "scenario files (YAML)")
    List<Path> files;

    @Option(names = "--jobs", paramLabel = "N", description = "scenarios run at once (default: 1)")
    int jobs = 1;

    @Option(names = "--shard", paramLabel = "I/N", description = "run only the I-th of N equal shares of the"
            + " scenarios (sorted by path), e.g. 2/4 on the second of four CI machines")
    String shard;

    @Option(names = "--junit", paramLabel = "FILE", description = "write a JUnit XML report to FILE")
    Path junit;

    @Option(names = "--output", paramLabel = "DIR", description = "where each run keeps its files (default:"
            + " strata-test-results)")
    Path output = Path.of("strata-test-results");

    @Option(names = "--update-screens", description = "write each screen-matches picture from the screen as the run"
            + " reaches its step (a picture that matches then is left alone), reported per file")
    boolean updateScreens;

    @Override
    protected int execute() throws Exception {
        if (jobs < 1 || jobs > 256) {
            throw usageError("--jobs " + jobs + ": give a number from 1 to 256");
        }
        List<Scenario> scenarios = new ArrayList<>();
        for (Path f : files) {
            try {
                scenarios.add(ScenarioParser.read(f));
            } catch (dev.strata.vm.scenario.ScenarioException e) {
                err().println("strata: " + e.getMessage());
                return USAGE;
            }
        }
        scenarios.sort(Comparator.comparing(s -> s.file().toAbsolutePath().toString()));
        scenarios = shard(scenarios);
        Map<Scenario, Path> folders = folders(scenarios);
        List<ScenarioResult> results = new ArrayList<>();
        ScenarioOptions options = new ScenarioOptions(vms(), updateScreens);
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(jobs, Math.max(1, scenarios.size())), r -> {
            Thread t = new Thread(r, "strata-test");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<ScenarioResult>> running = new ArrayList<>();
            for (Scenario s : scenarios) {
                running.add(pool.submit(() -> ScenarioRunner.run(s, folders.get(s), options)));
            }
            for (Future<ScenarioResult> f : running) {
                ScenarioResult r = f.get();
                results.add(r);
                out().println(r.summary());
                for (String screen : r.screens()) {
                    out().println("  " + screen);
                }
                out().flush();
            }
        } finally {
            pool.shutdownNow();
        }
        long failed = results.stream().filter(r -> !r.passed()).count();
        out().printf("%d scenarios, %d passed, %d failed%n", results.size(), results.size() - failed, failed);
        if (junit != null) {
            JUnitReport.write(junit, "strata", results);
        }
        return failed == 0 ? OK : FAILED;
    }

    /** The scenarios of this shard: every N-th from the I-th, so each shard gets an even share. */
    private List<Scenario> shard(List<Scenario> all) {
        if (shard == null) {
            return all;
        }
        String[] parts = shard.split("/");
        int i;
        int n;
        try {
            i = Integer.parseInt(parts[0]);
            n = Integer.parseInt(parts[1]);
        } catch (NumberFormatException | ArrayIndexOutOfBoundsException e) {
            throw usageError("--shard " + shard + ": write I/N with 1 <= I <= N, e.g. 2/4");
        }
        if (parts.length != 2 || n < 1 || i < 1 || i > n) {
            throw usageError("--shard " + shard + ": write I/N with 1 <= I <= N, e.g. 2/4");
        }
        List<Scenario> mine = new ArrayList<>();
        for (int k = i - 1; k < all.size(); k += n) {
            mine.add(all.get(k));
        }
        return mine;
    }

    /** A folder per scenario under --output, named after it (two of one name get -2, -3, ...). */
    private Map<Scenario, Path> folders(List<Scenario> scenarios) {
        Map<String, Integer> seen = new HashMap<>();
        Map<Scenario, Path> folders = new HashMap<>();
        for (Scenario s : scenarios) {
            String base = s.name().replaceAll("[^A-Za-z0-9._-]", "_");
            int n = seen.merge(base, 1, Integer::sum);
            folders.put(s, output.resolve(n == 1 ? base : base + "-" + n));
        }
        return folders;
    }
}
