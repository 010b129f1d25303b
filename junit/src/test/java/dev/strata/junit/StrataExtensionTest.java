package dev.strata.junit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import dev.strata.vm.scenario.ScreenMatch;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
import org.junit.platform.launcher.listeners.TestExecutionSummary;

/**
 * Runs small guest test classes (nested here, so the build does not run them by themselves) through the JUnit
 * launcher on the demo guest in {@code guests/demo}, and checks what the extension gave them and left behind.
 */
class StrataExtensionTest {

    static final String DEMO = "${strata.root:-..}/guests/demo/demo.img";
    static final String READY = "Strata demo guest: ready";

    @TempDir
    Path out;

    @StrataMachine(fda = DEMO)
    static class PassingGuestTest {
        static long instructions;

        @Test
        void bootsTheDemoGuest(Guest guest) {
            // the text shows on the debug port at once; COM1 sends it at its line rate
            guest.waitFor(READY).sleep(Duration.ofSeconds(1));
            assertTrue(guest.serial().contains(READY), guest.serial());
            instructions = guest.instructions();
        }
    }

    static class FailingGuestTest {
        @Test
        @StrataMachine(fda = DEMO, timeout = 1)
        void waitsForTextThatNeverComes(Guest guest) {
            guest.waitFor(READY).waitFor("the demo guest never says this");
        }
    }

    @org.junit.jupiter.api.extension.ExtendWith(StrataExtension.class)
    static class UnannotatedGuestTest {
        @Test
        void wantsAGuest(Guest guest) {
        }
    }

    static class MissingImageGuestTest {
        @Test
        @StrataMachine(fda = "no-such-floppy.img")
        void wantsAGuest(Guest guest) {
        }
    }

    @Test
    void aPassingTestLeavesItsSerialLogAndScreenButNoState() throws Exception {
        TestExecutionSummary s = run(PassingGuestTest.class);
        assertEquals(1, s.getTestsSucceededCount(), () -> failures(s));
        Path dir = out.resolve("PassingGuestTest").resolve("bootsTheDemoGuest");
        assertTrue(Files.readString(dir.resolve(StrataExtension.SERIAL)).contains(READY));
        assertTrue(Files.readString(dir.resolve(StrataExtension.SCREEN)).contains("Strata demo guest"));
        assertFalse(Files.exists(dir.resolve(StrataExtension.FAILED_STATE)));
        assertFalse(leftovers(dir), "the throwaway copies are gone");
    }

    @Test
    void theSameTestRunsTheSameInstructionsEveryTime() {
        run(PassingGuestTest.class);
        long first = PassingGuestTest.instructions;
        run(PassingGuestTest.class);
        assertTrue(first > 0);
        assertEquals(first, PassingGuestTest.instructions);
    }

    @Test
    void aFailedWaitFailsTheTestWithTheScreenAndLeavesAStateToResume() throws Exception {
        TestExecutionSummary s = run(FailingGuestTest.class);
        assertEquals(1, s.getTestsFailedCount());
        Throwable t = s.getFailures().get(0).getException();
        assertEquals("org.opentest4j.AssertionFailedError", t.getClass().getName());
        assertTrue(t.getMessage().startsWith("\"the demo guest never says this\" did not appear within 1 s of guest "
                + "time after "), t.getMessage());
        assertTrue(t.getMessage().contains("Strata demo guest"), "the message shows the screen: " + t.getMessage());
        Path dir = out.resolve("FailingGuestTest").resolve("waitsForTextThatNeverComes");
        byte[] state = Files.readAllBytes(dir.resolve(StrataExtension.FAILED_STATE));
        assertEquals("STRATAST", new String(state, 0, 8, java.nio.charset.StandardCharsets.US_ASCII));
        assertTrue(Files.readString(dir.resolve(StrataExtension.SERIAL)).contains(READY));
    }

    @Test
    void aGuestParameterWithoutAMachineIsRefusedWithWhatToDo() {
        TestExecutionSummary s = run(UnannotatedGuestTest.class);
        assertEquals(1, s.getTestsFailedCount());
        String message = s.getFailures().get(0).getException().getMessage();
        assertTrue(message.contains("needs @StrataMachine on the test method or its class"), message);
    }

    @Test
    void aMissingImageIsNamedWithItsAttribute() {
        TestExecutionSummary s = run(MissingImageGuestTest.class);
        assertEquals(1, s.getTestsFailedCount());
        String message = s.getFailures().get(0).getException().getMessage();
        assertTrue(message.contains("@StrataMachine(fda = \"no-such-floppy.img\"): no such image file "), message);
        assertTrue(message.contains("no-such-floppy.img"), message);
    }

    @Test
    void guestTimeIsVirtual() {
        // a guest test may wait minutes of guest time; the machine gets there as fast as it runs
        TestExecutionSummary s = run(SleepingGuestTest.class);
        assertEquals(1, s.getTestsSucceededCount(), () -> failures(s));
    }

    @StrataMachine(fda = DEMO)
    static class SleepingGuestTest {
        @Test
        void sleeps(Guest guest) {
            guest.waitFor(READY).sleep(Duration.ofSeconds(5));
            assertTrue(guest.guestTime().compareTo(Duration.ofSeconds(5)) >= 0);
        }
    }

    @StrataMachine(fda = DEMO)
    static class ScreenGuestTest {
        static Path picture;

        @Test
        void matchesItsScreen(Guest guest) {
            guest.waitFor(READY).screenMatches(picture);
        }

        @Test
        void typesThenMatches(Guest guest) {
            guest.waitFor(READY).type("xyzzy").sleep(Duration.ofMillis(500))
                    .screenMatches(picture, ScreenMatch.Rules.EXACT, Duration.ofMillis(200));
        }
    }

    @Test
    void aScreenWrittenOnRequestMatchesAndAChangedOneFailsLeavingTheDifferences() throws Exception {
        ScreenGuestTest.picture = out.resolve("screens/ready.png");
        System.setProperty(Guest.UPDATE_SCREENS, "true");
        try {
            assertEquals(1, run(ScreenGuestTest.class, "matchesItsScreen").getTestsSucceededCount());
        } finally {
            System.clearProperty(Guest.UPDATE_SCREENS);
        }
        assertTrue(Files.isRegularFile(ScreenGuestTest.picture));
        TestExecutionSummary s = run(ScreenGuestTest.class, "matchesItsScreen");
        assertEquals(1, s.getTestsSucceededCount(), () -> failures(s));
        TestExecutionSummary typed = run(ScreenGuestTest.class, "typesThenMatches");
        assertEquals(1, typed.getTestsFailedCount());
        String message = typed.getFailures().get(0).getException().getMessage();
        assertTrue(message.matches("(?s)the screen did not match .*ready.png within 200 ms: \\d+ pixels differ, the"
                + " first at x=\\d+, y=\\d+ .*"), message);
        Path dir = out.resolve("ScreenGuestTest").resolve("typesThenMatches");
        assertTrue(Files.isRegularFile(dir.resolve("actual.png")) && Files.isRegularFile(dir.resolve("diff.png")));
    }

    @StrataMachine(fda = DEMO)
    static class RewindingGuestTest {
        static String afterSnapshot;
        static String afterState;

        @Test
        void goesBackToASnapshotAndASavedState(Guest guest) {
            guest.waitFor(READY).sleep(Duration.ofMillis(500)).snapshot("ready");
            guest.type("xyzzy").waitFor("xyzzy");
            guest.restoreSnapshot("ready");
            afterSnapshot = guest.screen();
            assertEquals("Strata demo guest", guest.screen(2, 0, 17, 1));
            guest.type("plugh").waitFor("plugh").saveState(Path.of("plugh.sav"));
            guest.type("quux").waitFor("quux");
            guest.restoreState(Path.of("plugh.sav"));
            afterState = guest.screen();
            guest.keys("shift+1").waitFor("plugh!");
        }

        @Test
        void restoresASnapshotItNeverTook(Guest guest) {
            guest.waitFor(READY).restoreSnapshot("never-taken");
        }
    }

    @Test
    void aSnapshotAndASavedStateTakeTheGuestBackAndItRunsOnFromThere() {
        TestExecutionSummary s = run(RewindingGuestTest.class, "goesBackToASnapshotAndASavedState");
        assertEquals(1, s.getTestsSucceededCount(), () -> failures(s));
        assertTrue(RewindingGuestTest.afterSnapshot.contains("Strata demo guest"), RewindingGuestTest.afterSnapshot);
        assertFalse(RewindingGuestTest.afterSnapshot.contains("xyzzy"), RewindingGuestTest.afterSnapshot);
        assertTrue(RewindingGuestTest.afterState.contains("plugh"), RewindingGuestTest.afterState);
        assertFalse(RewindingGuestTest.afterState.contains("quux"), RewindingGuestTest.afterState);
    }

    @Test
    void restoringASnapshotTheTestNeverTookFailsItNamingTheSnapshot() {
        TestExecutionSummary s = run(RewindingGuestTest.class, "restoresASnapshotItNeverTook");
        assertEquals(1, s.getTestsFailedCount());
        String message = s.getFailures().get(0).getException().getMessage();
        assertTrue(message.startsWith("restore snapshot: no snapshot 'never-taken' was taken earlier in this run"),
                message);
    }

    private TestExecutionSummary run(Class<?> testClass, String method) {
        String before = System.getProperty("strata.junit.output");
        System.setProperty("strata.junit.output", out.toString());
        try {
            LauncherDiscoveryRequest request = LauncherDiscoveryRequestBuilder.request()
                    .selectors(org.junit.platform.engine.discovery.DiscoverySelectors.selectMethod(testClass, method,
                            Guest.class.getName()))
                    .build();
            SummaryGeneratingListener listener = new SummaryGeneratingListener();
            LauncherFactory.create().execute(request, listener);
            return listener.getSummary();
        } finally {
            if (before == null) {
                System.clearProperty("strata.junit.output");
            } else {
                System.setProperty("strata.junit.output", before);
            }
        }
    }

    private TestExecutionSummary run(Class<?> testClass) {
        String before = System.getProperty("strata.junit.output");
        System.setProperty("strata.junit.output", out.toString());
        try {
            LauncherDiscoveryRequest request = LauncherDiscoveryRequestBuilder.request()
                    .selectors(selectClass(testClass)).build();
            SummaryGeneratingListener listener = new SummaryGeneratingListener();
            LauncherFactory.create().execute(request, listener);
            return listener.getSummary();
        } finally {
            if (before == null) {
                System.clearProperty("strata.junit.output");
            } else {
                System.setProperty("strata.junit.output", before);
            }
        }
    }

    private static String failures(TestExecutionSummary s) {
        StringBuilder b = new StringBuilder();
        for (TestExecutionSummary.Failure f : s.getFailures()) {
            b.append(f.getTestIdentifier().getDisplayName()).append(": ").append(f.getException()).append('\n');
        }
        return b.toString();
    }

    private static boolean leftovers(Path dir) throws Exception {
        try (var list = Files.list(dir)) {
            List<Path> runs = list.filter(p -> p.getFileName().toString().startsWith(".run-")).toList();
            return !runs.isEmpty();
        }
    }
}
