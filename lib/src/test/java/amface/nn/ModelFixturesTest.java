package amface.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import amface.data.ZipEntries;
import amface.testing.TestPaths;

/**
 * Model files saved by earlier code keep loading and keep their numbers: each backbone family's fixture
 * ({@link ModelFixtures}, written by main {@code 4d183dd}) loads, describes the same backbone, and embeds the fixed
 * input as it did then.
 */
class ModelFixturesTest {
    static Path fixtures() {
        return TestPaths.projectRoot().resolve("lib/src/test/resources/fixtures");
    }

    static ModelFixtures.Fixture fixture(String stem) {
        return ModelFixtures.FIXTURES.stream().filter(f -> f.stem().equals(stem)).findFirst().orElseThrow();
    }

    @ParameterizedTest
    @ValueSource(strings = {"resface-tiny:RESFACE", "lresnet-e-ir-tiny:LRESNET_E_IR"})
    void savedModelLoadsWithItsSpecAndEmbeddings(String stemAndArchitecture) throws IOException {
        String[] parts = stemAndArchitecture.split(":");
        ModelFixtures.Fixture f = fixture(parts[0]);
        Path file = fixtures().resolve(f.modelFile());
        assertTrue(Files.size(file) < 400_000, file + " should stay small: " + Files.size(file) + " bytes");

        // the file names its family as the code of its day wrote it
        Properties meta = new Properties();
        meta.load(new StringReader(new String(ZipEntries.read(file).get(FaceModel.METADATA_ENTRY), StandardCharsets.UTF_8)));
        assertEquals(parts[1], meta.getProperty("architecture"));

        FaceModel m = FaceModel.load(file);
        assertEquals(f.spec(), m.spec());
        assertEquals(f.spec().name(), m.spec().name());
        assertEquals(ModelFixtures.CLASSES, m.classNames());
        FaceModel.load(file, f.spec()); // the expected-spec check accepts it too

        float[][] expected = ModelFixtures.parse(Files.readString(fixtures().resolve(f.embeddingsFile())));
        float[][] actual = m.embed(ModelFixtures.input(m.inputHeight(), m.inputWidth()));
        assertEquals(expected.length, actual.length);
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i].length, actual[i].length);
            double scale = 0;
            for (float v : expected[i]) scale = Math.max(scale, Math.abs(v));
            assertTrue(scale > 0.1, "the fixture's embedding should not be near zero");
            for (int j = 0; j < expected[i].length; j++) {
                assertEquals(expected[i][j], actual[i][j], 1e-4 * Math.max(1, scale), f.stem() + " image " + i + " component " + j);
            }
        }
    }
}
