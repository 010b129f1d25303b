package dev.strata.tools.crash;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.strata.storage.media.StrataHome;
import dev.strata.tools.StrataCli;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import picocli.CommandLine;

/**
 * A child JVM that starts up and loads the command line before it is needed, then runs one {@code strata} command
 * line given on standard input, to be killed while it runs. Starting the next one while the test checks what the
 * last one left hides most of a JVM's start-up from the campaign's wall time.
 *
 * <p>Protocol: the child prints {@code ready} once warm; the test sends one line, the Strata home and the command's
 * arguments separated by tabs; the child prints {@code go} just before it runs the command and {@code exit N} after.
 */
public final class StandbyChild {
    /** The cheapest JVM options for a short, soon-killed process: the quick compiler only, a small serial heap. */
    private static final List<String> JVM_OPTIONS = List.of("-Xshare:auto", "-XX:TieredStopAtLevel=1",
            "-XX:+UseSerialGC", "-XX:-UsePerfData", "-Xmx256m");

    private final Process process;
    private final BufferedReader out;
    private final Path log;

    private StandbyChild(Process process, Path log) {
        this.process = process;
        this.log = log;
        this.out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    }

    /** Starts a child JVM on the test's class path; its standard error goes to {@code log}. */
    public static StandbyChild launch(Path log) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(JVM_OPTIONS);
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), StandbyChild.class.getName()));
        return new StandbyChild(new ProcessBuilder(cmd).redirectError(log.toFile()).start(), log);
    }

    /** Waits until the child is warm, then has it run {@code args} in Strata home {@code home}; returns once it runs. */
    public void run(Path home, String... args) throws IOException {
        expect("ready");
        List<String> fields = new ArrayList<>();
        fields.add(home.toString());
        fields.addAll(Arrays.asList(args));
        process.getOutputStream().write((String.join("\t", fields) + "\n").getBytes(StandardCharsets.UTF_8));
        process.getOutputStream().flush();
        expect("go");
    }

    /** Waits for the command to end by itself; returns its exit code. */
    public int awaitExit() throws IOException {
        String line = out.readLine();
        if (line == null || !line.startsWith("exit ")) {
            throw new IOException("the child ended without its exit line (" + line + "): " + errors());
        }
        return Integer.parseInt(line.substring(5));
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    public long pid() {
        return process.pid();
    }

    /** SIGKILL: no shutdown hook, no finally block, nothing flushed; returns once the process is gone. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor();
    }

    /** What the child printed on standard error. */
    public String errors() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return e.toString();
        }
    }

    private void expect(String want) throws IOException {
        String line = out.readLine();
        if (!want.equals(line)) {
            throw new IOException("the child said " + line + " where it should say " + want + ": " + errors());
        }
    }

    public static void main(String[] args) throws IOException {
        PrintStream protocol = System.out;
        // the commands' own output must not be taken for the protocol's lines
        System.setOut(new PrintStream(System.err, true, StandardCharsets.UTF_8));
        CommandLine warm = StrataCli.commandLine();
        warm.setOut(new PrintWriter(new StringWriter()));
        warm.setErr(new PrintWriter(new StringWriter()));
        warm.execute("--version");
        new ObjectMapper().readTree("{\"media\": []}"); // the registries' JSON reader, the slowest class to load
        protocol.println("ready");
        protocol.flush();
        String line = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
        if (line == null) {
            return; // the campaign is over: the spare child was not needed
        }
        String[] fields = line.split("\t");
        System.setProperty(StrataHome.PROPERTY, fields[0]);
        protocol.println("go");
        protocol.flush();
        int exit = StrataCli.commandLine().execute(Arrays.copyOfRange(fields, 1, fields.length));
        protocol.println("exit " + exit);
        protocol.flush();
        System.exit(exit);
    }
}
