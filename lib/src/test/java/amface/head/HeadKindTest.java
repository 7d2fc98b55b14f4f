package amface.head;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

/** The head registry: names and aliases, paper numbers, and the margin each kind builds. */
class HeadKindTest {

    @Test
    void namesLabelsAndAliasesResolveToOneKind() {
        assertEquals(List.of("am", "normface", "arcface", "sphereface", "combined", "softmax"), HeadKind.names());
        for (String alias : List.of("am", "AM", "cosface", "am-softmax")) assertEquals("am", HeadKind.named(alias).name());
        for (String alias : List.of("arc", "arcface")) assertEquals("arcface", HeadKind.named(alias).name());
        for (String alias : List.of("sphere", "sphereface", "a-softmax")) assertEquals("sphereface", HeadKind.named(alias).name());
        Set<String> seen = new HashSet<>();
        for (String n : HeadKind.acceptedNames()) assertTrue(seen.add(n), "one name, one kind: " + n);
        String msg = assertThrows(IllegalArgumentException.class, () -> HeadKind.named("bogus")).getMessage();
        assertTrue(msg.contains("unknown head 'bogus'") && msg.contains("sphereface"), msg);
    }

    @Test
    void paperNumbers() {
        assertEquals(30, HeadKind.named("am").paperScale());
        assertEquals(0.35, HeadKind.named("am").paperMargin());
        assertEquals(64, HeadKind.named("arcface").paperScale());
        assertEquals(0.5, HeadKind.named("arcface").paperMargin());
        assertEquals(4, HeadKind.named("sphereface").paperMargin());
        assertTrue(Double.isNaN(HeadKind.named("normface").paperMargin()), "NormFace keeps the config's numbers");
    }

    @Test
    void eachKindBuildsItsMargin() {
        assertInstanceOf(CosineMargin.class, HeadSpec.of("cosface", 30, 0.35).margin());
        assertInstanceOf(CosineMargin.class, HeadSpec.of("normface", 30, 0.35).margin());
        assertInstanceOf(ArcMargin.class, HeadSpec.of("arc", 64, 0.5).margin());
        assertEquals(3, ((SphereMargin) HeadSpec.of("sphere", 30, 3).margin()).m());
        assertInstanceOf(CombinedMargin.class, HeadSpec.of("combined", 64, 0).margin());
        assertNull(HeadSpec.of("softmax", 1, 0).margin());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> HeadSpec.of("sphereface", 30, 2.5)).getMessage()
            .contains("integer margin"));
        assertEquals("arcface", HeadSpec.of("ARC", 64, 0.5).headKind().name());
    }
}
