package dev.strata.tools.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code strata bench}: runs Strata's JMH benchmarks (CpuBench, TraceBench, StorageBench) with JMH's own options. */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = {"Run Strata's JMH benchmarks: CpuBench (guest loops on the interpreter, MIPS), TraceBench",
                "(traced MIPS) and StorageBench (4 KiB random and 1 MiB sequential I/O through chains, merge",
                "throughput).",
                "Arguments go to JMH unchanged, e.g. `strata bench StorageBench -f 1 -wi 2 -i 3`;",
                "`strata bench -- -h` lists JMH's options."})
public final class BenchCommand implements Callable<Integer> {

    @Parameters(arity = "0..*", paramLabel = "JMH-ARGS", description = "benchmark name patterns and JMH options")
    List<String> args = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        // JMH forks JVMs with this jar on the class path and exits through System.exit itself on errors.
        org.openjdk.jmh.Main.main(args.toArray(new String[0]));
        return 0;
    }
}
