package dev.strata.tools.bench;

import dev.strata.tools.StrataCommand;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code strata bench}: runs Strata's JMH benchmarks (CpuBench, TraceBench, StorageBench) with JMH's own options. The
 * benchmarks and JMH live in a jar of their own (module {@code bench}) so that the command line starts without them.
 */
@Command(name = "bench", mixinStandardHelpOptions = true, subcommands = GuestBenchCommand.class,
        description = {"Run Strata's JMH benchmarks (CPU, tracing and storage speed).",
                "CpuBench runs guest loops on the interpreter (MIPS), TraceBench the same loops traced;",
                "StorageBench does 4 KiB random and 1 MiB sequential I/O through chains and measures merge",
                "throughput.",
                "Arguments go to JMH unchanged, e.g. `strata bench StorageBench -f 1 -wi 2 -i 3`;",
                "`strata bench -- -h` lists JMH's options. `strata bench guests` times whole guest runs."})
public final class BenchCommand extends StrataCommand {

    /** Where the build puts the benchmark jar, relative to the project root. */
    static final String BENCH_JAR = "bench/target/strata-bench.jar";

    @Parameters(arity = "0..*", paramLabel = "JMH-ARGS", description = "benchmark name patterns and JMH options")
    List<String> args = new ArrayList<>();

    @Override
    protected int execute() throws IOException, InterruptedException {
        Path jar = benchJar();
        List<String> command = new ArrayList<>(List.of(javaExecutable(), "-jar", jar.toString()));
        command.addAll(args);
        return new ProcessBuilder(command).inheritIO().start().waitFor();
    }

    /** The benchmark jar: beside the command line's jar, or where the build puts it in the project tree. */
    static Path benchJar() {
        Path own = ownJar();
        List<Path> candidates = new ArrayList<>();
        if (own != null && own.getParent() != null) {
            candidates.add(own.resolveSibling("strata-bench.jar"));
            Path projectRoot = own.getParent().getParent() == null ? null : own.getParent().getParent().getParent();
            if (projectRoot != null) {
                candidates.add(projectRoot.resolve(BENCH_JAR));
            }
        }
        candidates.add(Path.of(BENCH_JAR));
        for (Path p : candidates) {
            if (Files.isRegularFile(p)) {
                return p;
            }
        }
        throw new IllegalStateException(candidates.get(candidates.size() - 1).toAbsolutePath()
                + ": the benchmark jar is missing; build it with `mvn -B -DskipTests package` in the project root");
    }

    /** The jar (or classes directory) this command was loaded from, or null when that cannot be told. */
    static Path ownJar() {
        try {
            var source = BenchCommand.class.getProtectionDomain().getCodeSource();
            return source == null ? null : Path.of(source.getLocation().toURI()).toAbsolutePath();
        } catch (URISyntaxException | IllegalArgumentException | SecurityException e) {
            return null;
        }
    }

    /** The java launcher of the running JVM, so benchmarks run on the same Java as Strata. */
    static String javaExecutable() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }
}
