package dev.strata.guests.scenario;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.strata.guests.SharedData;
import dev.strata.vm.scenario.Scenario;
import dev.strata.vm.scenario.ScenarioParser;
import dev.strata.vm.scenario.ScenarioResult;
import dev.strata.vm.scenario.ScenarioRunner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The scenarios the README runs with {@code strata test examples/scenarios/*.yaml} pass, on the FreeDOS floppy of
 * {@code ../shared} (which they name relative to themselves), and twice alike.
 */
class ExampleScenariosTest {

    private static final Path EXAMPLES = Path.of("..", "examples", "scenarios");

    @TempDir
    Path out;

    static List<Path> examples() throws Exception {
        try (Stream<Path> files = Files.list(EXAMPLES)) {
            return files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList();
        }
    }

    @ParameterizedTest
    @MethodSource("examples")
    void theExampleScenarioPassesTheSameWayTwice(Path file) throws Exception {
        assumeTrue(SharedData.find("guests/freedos/freedos722.img").isPresent(), "FreeDOS floppy not available");
        Scenario scenario = ScenarioParser.read(file);
        ScenarioResult first = ScenarioRunner.run(scenario, out.resolve("1"));
        assertTrue(first.passed(), first.summary() + "\n" + first.screen());
        ScenarioResult second = ScenarioRunner.run(scenario, out.resolve("2"));
        assertEquals(first.instructions(), second.instructions(), "deterministic runs end at the same instruction");
        assertEquals(first.screen(), second.screen());
    }
}
