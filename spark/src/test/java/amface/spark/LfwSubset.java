package amface.spark;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import amface.testing.TestPaths;

/** A small raw LFW tree for the Spark tests: the first images of a few people, and one damaged JPEG. */
final class LfwSubset {
    private LfwSubset() { }

    static final List<String> PEOPLE = List.of("Aaron_Peirsol", "Abdullah_Gul", "Adrien_Brody", "Al_Gore");

    /** Copies {@code perPerson} images of the first {@code people} of {@link #PEOPLE} and {@code Broken/Broken_0001.jpg} under {@code root}. */
    static Path write(Path root, int people, int perPerson) throws IOException {
        Path lfw = TestPaths.sharedData("lfw/lfw-deepfunneled");
        for (String name : PEOPLE.subList(0, people)) {
            try (Stream<Path> s = Files.list(lfw.resolve(name))) {
                for (Path f : s.sorted().limit(perPerson).toList()) {
                    Files.createDirectories(root.resolve(name));
                    Files.copy(f, root.resolve(name).resolve(f.getFileName()));
                }
            }
        }
        Files.createDirectories(root.resolve("Broken"));
        Files.write(root.resolve("Broken/Broken_0001.jpg"), new byte[] {(byte) 0xFF, (byte) 0xD8, 1, 2, 3});
        return root;
    }
}
