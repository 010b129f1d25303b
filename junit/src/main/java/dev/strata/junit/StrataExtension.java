package dev.strata.junit;

import dev.strata.vm.scenario.MachineSpec;
import dev.strata.vm.scenario.ScenarioMachine;
import java.io.IOException;
import java.lang.reflect.AnnotatedElement;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.platform.commons.support.AnnotationSupport;

/**
 * The JUnit 5 extension behind {@link StrataMachine}: powers on the described machine for each test that takes a
 * {@link Guest}, and afterwards writes the test's serial log and screen to its output folder (with a saved state
 * when the test failed, so {@code strata run --restore-state} resumes where it went wrong) and throws the machine
 * away. The output folder is {@code target/strata-tests/CLASS/METHOD}, or under the {@code strata.junit.output}
 * system property.
 */
public final class StrataExtension implements ParameterResolver, AfterEachCallback {

    /** The files a test leaves in its output folder. */
    public static final String SERIAL = "serial.log";
    public static final String SCREEN = "screen.txt";
    public static final String FAILED_STATE = "failed.sav";

    private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(StrataExtension.class);

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == Guest.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        ExtensionContext.Store store = context.getStore(NS);
        Running running = store.get(Running.class, Running.class);
        if (running != null) {
            return running.guest; // a second Guest parameter of the same test is the same guest
        }
        StrataMachine spec = annotation(context).orElseThrow(() -> new ParameterResolutionException(
                context.getDisplayName() + ": a Guest parameter needs @StrataMachine on the test method or its class"));
        Path out = outputDir(context);
        try {
            Files.createDirectories(out);
            for (String f : new String[] {SERIAL, SCREEN, FAILED_STATE}) {
                Files.deleteIfExists(out.resolve(f));
            }
            ScenarioMachine machine = ScenarioMachine.powerOn(machineSpec(spec), out);
            running = new Running(new Guest(machine, Duration.ofSeconds(spec.timeout()), out));
        } catch (IOException e) {
            throw new ParameterResolutionException(context.getDisplayName() + ": could not power on the guest: "
                    + e.getMessage(), e);
        }
        store.put(Running.class, running);
        return running.guest;
    }

    @Override
    public void afterEach(ExtensionContext context) throws Exception {
        Running running = context.getStore(NS).get(Running.class, Running.class);
        if (running == null) {
            return;
        }
        Guest guest = running.guest;
        Path out = guest.outputDir();
        Files.writeString(out.resolve(SCREEN), guest.screen(), StandardCharsets.UTF_8);
        Files.write(out.resolve(SERIAL), guest.serial().getBytes(StandardCharsets.ISO_8859_1));
        if (context.getExecutionException().isPresent() && !guest.machine().poweredOff()) {
            guest.machine().saveState(out.resolve(FAILED_STATE));
        }
    }

    private static Optional<StrataMachine> annotation(ExtensionContext context) {
        Optional<AnnotatedElement> method = context.getElement();
        Optional<StrataMachine> onMethod = method.flatMap(e -> AnnotationSupport.findAnnotation(e, StrataMachine.class));
        if (onMethod.isPresent()) {
            return onMethod;
        }
        return context.getTestClass().flatMap(c -> AnnotationSupport.findAnnotation(c, StrataMachine.class));
    }

    private static Path outputDir(ExtensionContext context) {
        String base = System.getProperty("strata.junit.output", "target/strata-tests");
        String cls = context.getTestClass().map(Class::getSimpleName).orElse("tests");
        String method = context.getTestMethod().map(m -> m.getName()).orElse("test");
        String invocation = context.getUniqueId().contains("[test-template-invocation:")
                ? "-" + Integer.toHexString(context.getUniqueId().hashCode()) : "";
        return Path.of(base, cls, method + invocation).toAbsolutePath();
    }

    /** The annotation as a machine: image paths resolved and checked, the boot order chosen. */
    static MachineSpec machineSpec(StrataMachine m) {
        Path[] floppies = {image("fda", m.fda()), image("fdb", m.fdb())};
        Path[] disks = {image("hda", m.hda()), image("hdb", m.hdb()), image("hdc", m.hdc()), image("hdd", m.hdd())};
        Path cdrom = image("cdrom", m.cdrom());
        if (cdrom != null && disks[2] != null) {
            throw new ParameterResolutionException("@StrataMachine: the CD takes the secondary master, where hdc would "
                    + "go: give that disk as hdd");
        }
        if (floppies[0] == null && floppies[1] == null && cdrom == null
                && java.util.Arrays.stream(disks).allMatch(d -> d == null)) {
            throw new ParameterResolutionException("@StrataMachine: no drive to boot from: give fda, hda or cdrom");
        }
        if (m.memory() < 1 || m.memory() > 3072) {
            throw new ParameterResolutionException("@StrataMachine(memory = " + m.memory() + "): give a size in MiB "
                    + "from 1 to 3072");
        }
        String boot = m.boot().isEmpty() ? MachineSpec.defaultBootOrder(floppies, disks, cdrom) : m.boot();
        if (!boot.matches("[acd]{1,3}")) {
            throw new ParameterResolutionException("@StrataMachine(boot = \"" + boot + "\"): a boot order is letters "
                    + "a, c and d, e.g. \"dc\"");
        }
        return new MachineSpec(floppies, disks, cdrom, m.memory(), boot);
    }

    private static Path image(String attribute, String value) {
        if (value.isEmpty()) {
            return null;
        }
        String expanded;
        try {
            expanded = Placeholders.expand(value);
        } catch (IllegalArgumentException e) {
            throw new ParameterResolutionException("@StrataMachine(" + attribute + " = \"" + value + "\"): "
                    + e.getMessage());
        }
        Path p = Path.of(expanded).toAbsolutePath().normalize();
        if (!Files.isRegularFile(p)) {
            throw new ParameterResolutionException("@StrataMachine(" + attribute + " = \"" + value + "\"): no such image "
                    + "file " + p);
        }
        return p;
    }

    /** A test's guest, closed (media closed, throwaway copies deleted) when the test's context ends. */
    private static final class Running implements ExtensionContext.Store.CloseableResource {
        final Guest guest;

        Running(Guest guest) {
            this.guest = guest;
        }

        @Override
        public void close() throws IOException {
            guest.machine().close();
        }
    }
}
