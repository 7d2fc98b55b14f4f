package amface.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

/** One JavaCPP line (1.5.7, as ND4J 1.0.0-M2.1) across ND4J and JavaCV, natives for linux-x86_64 only. */
class NativeLibrariesTest {

    private static List<String> jars() {
        List<String> names = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            Path p = Path.of(entry);
            if (p.getFileName() != null && entry.endsWith(".jar")) names.add(p.getFileName().toString());
        }
        return names;
    }

    @Test
    void everyBytedecoJarIsFromTheJavaCpp157Line() {
        List<String> wrong = new ArrayList<>();
        List<String> bytedeco = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            if (!entry.replace('\\', '/').contains("/org/bytedeco/")) continue;
            String name = Path.of(entry).getFileName().toString();
            bytedeco.add(name);
            // artifact-version[-classifier].jar where version ends in 1.5.7 and the classifier is linux-x86_64*
            if (!name.matches("[a-z0-9-]+?-([0-9.]+-)*1\\.5\\.7(-linux-x86_64(-[a-z0-9-]+)?)?\\.jar")) wrong.add(name);
        }
        assertFalse(bytedeco.isEmpty(), "no org.bytedeco jars on the classpath: " + System.getProperty("java.class.path"));
        assertEquals(List.of(), wrong, "org.bytedeco jars off the 1.5.7 line or for another platform");
    }

    @Test
    void noOtherPlatformNatives() {
        List<String> foreign = jars().stream()
            .filter(n -> n.matches(".*-(android|ios|macosx|windows|linux-(arm|ppc|x86\\.jar|armhf|arm64)).*"))
            .toList();
        assertEquals(List.of(), foreign);
    }

    @Test
    void backendReportsTheCpuAndOneDnn() {
        Backend b = Backend.describe();
        assertEquals("CPU", b.backend());
        assertTrue(b.onednn(), "libnd4j without oneDNN: the plain nd4j-native classifier is on the classpath (" + b.nd4jClassifier() + ")");
        assertTrue(b.cores() >= 1);
        assertTrue(b.summary().startsWith("CPU: "), b.summary());
    }
}
