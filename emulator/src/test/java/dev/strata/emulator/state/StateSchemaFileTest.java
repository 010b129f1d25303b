package dev.strata.emulator.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class StateSchemaFileTest {

    private static final String COMMITTED = """
            section clock version 1 oldest 1
            section pit version 1 oldest 1
              class test.pit
                count int
                mode enum{A,B}
            """;

    @Test
    void anUnchangedSchemaHasNoProblems() {
        assertEquals(List.of(), StateSchemaFile.problems(COMMITTED, COMMITTED, "the.schema"));
    }

    @Test
    void aFieldAddedWithoutAVersionBumpIsCaughtWithWhatToDo() {
        String current = COMMITTED.replace("    mode enum{A,B}\n", "    mode enum{A,B}\n    latch int\n");
        List<String> problems = StateSchemaFile.problems(COMMITTED, current, "the.schema");
        assertEquals(1, problems.size(), problems.toString());
        String p = problems.get(0);
        assertTrue(p.startsWith("section 'pit' changed but is still version 1 oldest 1: added 'latch int'"), p);
        assertTrue(p.contains("bump the section's version") && p.contains("since") && p.contains("the.schema"), p);
    }

    @Test
    void aRetypedOrRemovedFieldWithoutAVersionBumpIsCaught() {
        String retyped = COMMITTED.replace("count int", "count long");
        assertTrue(StateSchemaFile.problems(COMMITTED, retyped, "f").get(0).contains("still version 1"));
        String removed = COMMITTED.replace("    count int\n", "");
        assertTrue(StateSchemaFile.problems(COMMITTED, removed, "f").get(0).contains("removed 'count int'"));
        String constant = COMMITTED.replace("enum{A,B}", "enum{A,B,C}");
        assertTrue(StateSchemaFile.problems(COMMITTED, constant, "f").get(0).contains("still version 1"));
    }

    @Test
    void aBumpedSectionOnlyAsksForTheFileToBeRegenerated() {
        String current = COMMITTED.replace("section pit version 1 oldest 1", "section pit version 2 oldest 1")
                .replace("    mode enum{A,B}\n", "    mode enum{A,B}\n    latch int since 2\n");
        List<String> problems = StateSchemaFile.problems(COMMITTED, current, "the.schema");
        assertEquals(1, problems.size(), problems.toString());
        assertTrue(problems.get(0).contains("the versions are decided, so regenerate the.schema"), problems.get(0));
    }

    @Test
    void aSectionNoLongerSavedIsReported() {
        String current = "section clock version 1 oldest 1\n";
        assertTrue(StateSchemaFile.problems(COMMITTED, current, "f").get(0).startsWith("section 'pit' is no longer"));
    }
}
