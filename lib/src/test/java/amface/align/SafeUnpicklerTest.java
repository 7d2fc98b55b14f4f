package amface.align;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SafeUnpicklerTest {

    @TempDir
    Path tmp;

    /** A pickle that, in Python, would run {@code os.system("touch MARKER")}: refused at the global, never run. */
    private static byte[] osSystemPickle(Path marker) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.writeBytes(new byte[] {(byte) 0x80, 2});
        b.writeBytes("cos\nsystem\n".getBytes(StandardCharsets.US_ASCII));
        byte[] cmd = ("touch " + marker).getBytes(StandardCharsets.UTF_8);
        b.write('X');
        b.writeBytes(new byte[] {(byte) cmd.length, 0, 0, 0});
        b.writeBytes(cmd);
        b.write(0x85); // TUPLE1
        b.write('R'); // REDUCE
        b.write('.');
        return b.toByteArray();
    }

    private static byte[] npyWithPickle(byte[] pickle) {
        String header = "{'descr': '|O', 'fortran_order': False, 'shape': (), }";
        header = header + " ".repeat(63 - header.length()) + "\n";
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.writeBytes(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0, (byte) header.length(), 0});
        b.writeBytes(header.getBytes(StandardCharsets.US_ASCII));
        b.writeBytes(pickle);
        return b.toByteArray();
    }

    @Test
    void refusesOsSystemInAWeightFileWithoutRunningIt() throws IOException {
        Path marker = tmp.resolve("pwned");
        Path evil = tmp.resolve("det1.npy");
        Files.write(evil, npyWithPickle(osSystemPickle(marker)));
        PickleException e = assertThrows(PickleException.class, () -> MtcnnWeights.load(evil));
        assertTrue(e.getMessage().contains("'os.system'"), e.getMessage());
        assertTrue(e.getMessage().contains(evil.toString()), e.getMessage());
        assertFalse(Files.exists(marker), "the pickle's command ran");
    }

    @Test
    void refusesProtocol4StackGlobalOfEval() {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.writeBytes(new byte[] {(byte) 0x80, 4});
        b.write(0x8c); b.write(8); b.writeBytes("builtins".getBytes(StandardCharsets.US_ASCII));
        b.write(0x8c); b.write(4); b.writeBytes("eval".getBytes(StandardCharsets.US_ASCII));
        b.write(0x93);
        b.write('.');
        PickleException e = assertThrows(PickleException.class, () -> NumpyPickles.unpickler().load(b.toByteArray(), 0, "evil.pkl"));
        assertTrue(e.getMessage().startsWith("evil.pkl: refused pickle global 'builtins.eval'"), e.getMessage());
    }

    @Test
    void refusesCallingAnAllowedClassThatIsNotAConstructor() {
        byte[] p = "\u0080\u0002cnumpy\nndarray\n)R.".getBytes(StandardCharsets.ISO_8859_1);
        PickleException e = assertThrows(PickleException.class, () -> NumpyPickles.unpickler().load(p, 0, "x.pkl"));
        assertTrue(e.getMessage().contains("'numpy.ndarray', which may not be called"), e.getMessage());
    }

    @Test
    void readsPlainDataOfProtocols0And2() throws PickleException {
        // Python: pickle.dumps({'a': [1, -2, 3.5, None, True], u'b': (b'xy', 'z')}, protocol=2) written by hand.
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.writeBytes(new byte[] {(byte) 0x80, 2, '}', 'q', 0, '('});
        b.writeBytes(new byte[] {'U', 1, 'a', ']', '(', 'K', 1, 'J', (byte) 0xfe, (byte) 0xff, (byte) 0xff, (byte) 0xff});
        b.write('G');
        long bits = Double.doubleToLongBits(3.5);
        for (int i = 7; i >= 0; i--) b.write((int) (bits >>> (8 * i)) & 0xff);
        b.writeBytes(new byte[] {'N', (byte) 0x88, 'e'});
        b.writeBytes(new byte[] {'X', 1, 0, 0, 0, 'b', 'C', 2, 'x', 'y', 'U', 1, 'z', (byte) 0x86, 'u', '.'});
        Object o = NumpyPickles.unpickler().load(b.toByteArray(), 0, "t");
        Map<?, ?> m = (Map<?, ?>) o;
        assertEquals(List.of(1L, -2L, 3.5, true), ((List<?>) m.get("a")).stream().filter(v -> v != null).toList());
        assertEquals(5, ((List<?>) m.get("a")).size());
        List<?> t = (List<?>) m.get("b");
        assertArrayEquals("xy".getBytes(StandardCharsets.US_ASCII), (byte[]) t.get(0));
        assertEquals("z", t.get(1));
        // Protocol 0 text opcodes.
        Object p0 = NumpyPickles.unpickler().load("(lp0\nI12\naF0.25\na.".getBytes(StandardCharsets.US_ASCII), 0, "t0");
        assertEquals(List.of(12L, 0.25), p0);
    }

    @Test
    void truncatedAndWrongFilesGiveClearErrors() throws IOException {
        Path det1 = amface.testing.TestPaths.sharedData("mtcnn/det1.npy");
        byte[] all = Files.readAllBytes(det1);
        Path cut = tmp.resolve("det1-cut.npy");
        Files.write(cut, java.util.Arrays.copyOf(all, all.length / 2));
        IOException e = assertThrows(IOException.class, () -> MtcnnWeights.load(cut));
        assertTrue(e.getMessage().startsWith(cut.toString()) && e.getMessage().contains("truncated"), e.getMessage());

        Path headerOnly = tmp.resolve("det1-header.npy");
        Files.write(headerOnly, java.util.Arrays.copyOf(all, 40));
        e = assertThrows(IOException.class, () -> MtcnnWeights.load(headerOnly));
        assertTrue(e.getMessage().contains("truncated"), e.getMessage());

        Path notNpy = tmp.resolve("photo.npy");
        Files.write(notNpy, new byte[] {(byte) 0xff, (byte) 0xd8, (byte) 0xff, (byte) 0xe0, 0, 16, 'J', 'F', 'I', 'F', 0});
        e = assertThrows(IOException.class, () -> MtcnnWeights.load(notNpy));
        assertTrue(e.getMessage().contains("not a numpy .npy file"), e.getMessage());

        IOException missing = assertThrows(IOException.class, () -> MtcnnWeights.load(tmp.resolve("absent.npy")));
        assertTrue(missing.getMessage().contains("absent.npy"), missing.getMessage());

        // det2 read as if it were P-Net: a clear message about the layer, not an index error.
        IOException wrongNet = assertThrows(IOException.class, () -> ProposalNet.load(amface.testing.TestPaths.sharedData("mtcnn/det2.npy")));
        assertTrue(wrongNet.getMessage().contains("det2.npy") && wrongNet.getMessage().contains("conv1/weights has shape [3, 3, 3, 28]"), wrongNet.getMessage());
    }
}
