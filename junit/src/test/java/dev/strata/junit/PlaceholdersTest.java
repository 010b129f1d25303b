package dev.strata.junit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class PlaceholdersTest {

    @Test
    void systemPropertiesComeFirst() {
        System.setProperty("strata.test.images", "/images");
        try {
            assertEquals("/images/fd.img", Placeholders.expand("${strata.test.images}/fd.img"));
        } finally {
            System.clearProperty("strata.test.images");
        }
    }

    @Test
    void environmentVariablesAreRead() {
        assertEquals(System.getenv("PATH") + "/x", Placeholders.expand("${PATH}/x"));
    }

    @Test
    void anUnsetNameTakesItsDefault() {
        assertEquals("../shared/a.img", Placeholders.expand("${STRATA_NO_SUCH_VARIABLE_HERE:-../shared}/a.img"));
    }

    @Test
    void anUnsetNameWithoutDefaultIsRefusedByName() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Placeholders.expand("${STRATA_NO_SUCH_VARIABLE_HERE}/a.img"));
        assertTrue(e.getMessage().contains("STRATA_NO_SUCH_VARIABLE_HERE"), e.getMessage());
    }

    @Test
    void aDefaultMayHoldReferences() {
        System.setProperty("strata.test.root", "/repo");
        try {
            assertEquals("/repo/../shared/fd.img",
                    Placeholders.expand("${STRATA_NO_SUCH_VARIABLE_HERE:-${strata.test.root}/../shared}/fd.img"));
        } finally {
            System.clearProperty("strata.test.root");
        }
    }

    @Test
    void anUnclosedReferenceIsRefusedWithItsOffset() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Placeholders.expand("a/${X:-b"));
        assertTrue(e.getMessage().contains("offset 2"), e.getMessage());
    }

    @Test
    void textWithoutReferencesIsLeftAsItIs() {
        assertEquals("images/$HOME/{x}.img", Placeholders.expand("images/$HOME/{x}.img"));
    }
}
