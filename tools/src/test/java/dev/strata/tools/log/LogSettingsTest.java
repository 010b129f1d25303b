package dev.strata.tools.log;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** --log-level and STRATA_LOG: a level for everything, levels for named loggers, and which wins. */
class LogSettingsTest {

    @Test
    void aBareLevelInTheEnvironmentReplacesTheDefault() {
        assertEquals(new LogSettings(LogLevel.DEBUG, Map.of()), LogSettings.of(null, LogLevel.WARN, "debug"));
        assertEquals(new LogSettings(LogLevel.WARN, Map.of()), LogSettings.of(null, LogLevel.WARN, null));
    }

    @Test
    void theOptionWinsOverTheEnvironmentsLevelButNamedLoggersStillApply() {
        LogSettings s = LogSettings.of(LogLevel.ERROR, LogLevel.INFO,
                "trace, dev.strata.emulator.device.ata=DEBUG,dev.strata.storage=warn");
        assertEquals(LogLevel.ERROR, s.level());
        assertEquals(Map.of("dev.strata.emulator.device.ata", LogLevel.DEBUG, "dev.strata.storage", LogLevel.WARN),
                s.loggers());
        String props = s.properties("H");
        assertTrue(props.contains(".level=SEVERE\n") && props.contains("dev.strata.emulator.device.ata.level=FINE\n"),
                props);
    }

    @Test
    void aMistakeNamesTheVariableAndTheLevels() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> LogSettings.of(null, LogLevel.WARN, "dev.strata=loud"));
        assertEquals("STRATA_LOG: 'loud' is not a log level; use error, warn, info, debug or trace", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> LogSettings.of(null, LogLevel.WARN, "=debug"));
    }
}
