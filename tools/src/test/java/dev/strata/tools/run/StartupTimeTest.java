package dev.strata.tools.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class StartupTimeTest {

    @Test
    void saysNothingBeforeTheFirstInstruction() {
        assertEquals("", StartupTime.describe(0));
    }

    @Test
    void measuresFromTheJvmStartToTheFirstInstruction() {
        long jvmStart = ManagementFactory.getRuntimeMXBean().getStartTime();
        String figure = StartupTime.describe(jvmStart + 1234);
        Matcher m = Pattern.compile(", start-up (\\d+\\.\\d{3}) s to the first instruction").matcher(figure);
        assertTrue(m.matches(), figure);
        assertEquals(1.234, Double.parseDouble(m.group(1)), 1e-9);
    }
}
