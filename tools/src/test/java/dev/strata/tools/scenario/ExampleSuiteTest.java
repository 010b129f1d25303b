package dev.strata.tools.scenario;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.strata.guests.SharedData;
import dev.strata.tools.InProcessStrata;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's example scenarios (FreeDOS from ../shared: a listing, VER, a file read back from the FAT, a power
 * cycle, keys and Ctrl+Alt+Del) run as a CI job runs a suite, {@code strata test --jobs 2 --junit}, and twice give
 * byte-identical serial logs and screens and the same instruction count for each scenario.
 */
class ExampleSuiteTest {

    private static final Path EXAMPLES = Path.of("..", "examples", "scenarios");
    private static final Pattern PASSED = Pattern.compile("PASS (\\S+) \\([0-9.]+ s, ([0-9,]+) instructions");

    @TempDir
    Path dir;

    @Test
    void theExampleSuitePassesTwoAtATimeWithAJUnitReportAndTwiceAlike() throws Exception {
        assumeTrue(SharedData.find("guests/freedos/freedos722.img").isPresent(), "FreeDOS floppy not available");
        List<String> files;
        try (Stream<Path> list = Files.list(EXAMPLES)) {
            files = list.filter(f -> f.toString().endsWith(".yaml")).map(Path::toString).sorted().toList();
        }
        List<String> first = suite("1", files);
        List<String> second = suite("2", files);
        assertEquals(first, second, "each scenario ends at the same instruction both times");
        for (String line : first) {
            String name = line.substring(0, line.indexOf(' '));
            for (String artefact : new String[] {"serial.log", "screen.txt"}) {
                assertArrayEquals(Files.readAllBytes(dir.resolve("1").resolve(name).resolve(artefact)),
                        Files.readAllBytes(dir.resolve("2").resolve(name).resolve(artefact)), name + "/" + artefact);
            }
        }
    }

    /** Runs the suite into folder {@code run}; each scenario's name and instruction count, in name order. */
    private List<String> suite(String run, List<String> files) throws Exception {
        InProcessStrata strata = new InProcessStrata();
        Path report = dir.resolve(run + ".xml");
        List<String> args = new ArrayList<>(List.of("test", "--jobs", "2", "--junit", report.toString(), "--output",
                dir.resolve(run).toString()));
        args.addAll(files);
        assertEquals(0, strata.run(args.toArray(String[]::new)), strata.out + "\n" + strata.err);
        String xml = Files.readString(report);
        assertTrue(xml.contains("tests=\"" + files.size() + "\" failures=\"0\""), xml);
        List<String> passed = new ArrayList<>();
        Matcher m = PASSED.matcher(strata.out.toString());
        while (m.find()) {
            passed.add(m.group(1) + " " + m.group(2));
        }
        assertEquals(files.size(), passed.size(), strata.out.toString());
        return passed.stream().sorted().toList();
    }
}
