package amface.eval;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import amface.align.PickleException;
import amface.align.SafeUnpickler;
import amface.data.LfwPairs;
import amface.image.BadImageException;
import amface.image.ImageReader;
import amface.image.RgbImage;

/**
 * An insightface verification file ({@code lfw.bin}, {@code cfp_fp.bin}, {@code agedb_30.bin}, ...): a pickled
 * {@code (bins, issame_list)} where {@code bins} holds 2N encoded images (JPEG or PNG bytes; pair i is images 2i
 * and 2i + 1) and {@code issame_list} N booleans. Read with {@link SafeUnpickler}: the only global allowed is
 * {@code _codecs.encode}, which Python 3 writes for bytes under pickle protocol 2 (emulated as Latin-1 encoding);
 * anything else is refused and nothing is executed.
 */
public final class InsightfaceBin {
    private final String source;
    private final List<byte[]> images;
    private final boolean[] same;

    private InsightfaceBin(String source, List<byte[]> images, boolean[] same) {
        this.source = source;
        this.images = images;
        this.same = same;
    }

    public static InsightfaceBin read(Path file) throws IOException {
        byte[] data;
        try {
            data = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new IOException(file + ": no such file");
        }
        String name = file.toString();
        Object root = unpickler().load(data, 0, name);
        if (!(root instanceof List<?> top) || top.size() != 2) {
            throw new PickleException(name + ": expected a pickled (bins, issame_list) pair, found " + describe(root));
        }
        if (!(top.get(0) instanceof List<?> bins)) throw new PickleException(name + ": bins is " + describe(top.get(0)) + ", not a list");
        if (!(top.get(1) instanceof List<?> issame)) {
            throw new PickleException(name + ": issame_list is " + describe(top.get(1)) + ", not a list of booleans");
        }
        if (bins.size() != 2 * issame.size()) {
            throw new PickleException(name + ": " + bins.size() + " images for " + issame.size() + " pairs; expected two images per pair");
        }
        if (issame.isEmpty()) throw new PickleException(name + ": no pairs");
        List<byte[]> images = new ArrayList<>(bins.size());
        for (int i = 0; i < bins.size(); i++) {
            Object b = bins.get(i);
            if (b instanceof byte[] bytes) images.add(bytes);
            else if (b instanceof String s) images.add(s.getBytes(StandardCharsets.ISO_8859_1)); // Python 2 str
            else throw new PickleException(name + ": image " + i + " is " + describe(b) + ", not encoded image bytes");
        }
        boolean[] same = new boolean[issame.size()];
        for (int i = 0; i < same.length; i++) {
            Object v = issame.get(i);
            if (v instanceof Boolean bool) same[i] = bool;
            else if (v instanceof Long l && (l == 0 || l == 1)) same[i] = l == 1; // protocol 0 writes bools as 00 / 01
            else throw new PickleException(name + ": issame_list[" + i + "] is " + describe(v) + ", not a boolean");
        }
        return new InsightfaceBin(name, images, same);
    }

    private static SafeUnpickler unpickler() {
        SafeUnpickler.Callable encode = args -> {
            if (args.size() == 2 && args.get(0) instanceof String text && args.get(1) instanceof String enc
                && (enc.equalsIgnoreCase("latin1") || enc.equalsIgnoreCase("latin-1") || enc.equalsIgnoreCase("iso-8859-1"))) {
                return text.getBytes(StandardCharsets.ISO_8859_1);
            }
            throw new PickleException("_codecs.encode is only accepted as (text, 'latin1'), the way pickle writes bytes; got " + args.size() + " arguments");
        };
        return new SafeUnpickler(Map.of("_codecs.encode", new SafeUnpickler.Global("_codecs.encode", encode)));
    }

    private static String describe(Object o) {
        if (o == null) return "None";
        if (o instanceof List<?> l) return "a sequence of " + l.size();
        return "a " + o.getClass().getSimpleName();
    }

    public String source() { return source; }

    public int pairs() { return same.length; }

    public boolean[] same() { return same.clone(); }

    /** Image {@code i} (0 .. 2 * pairs - 1) as stored: encoded bytes. */
    public byte[] encodedImage(int i) { return images.get(i).clone(); }

    /** Image {@code i} decoded. */
    public RgbImage image(int i) throws BadImageException {
        return ImageReader.read(images.get(i), name(i));
    }

    /** The name of image {@code i}, e.g. {@code lfw.bin#00017}: how embeddings of this file are keyed. */
    public String name(int i) {
        return Path.of(source).getFileName() + String.format(Locale.ROOT, "#%05d", i);
    }

    /** Every image name, in order. */
    public List<String> imageNames() {
        List<String> names = new ArrayList<>(images.size());
        for (int i = 0; i < images.size(); i++) names.add(name(i));
        return names;
    }

    /** Decodes images by {@link #name(int)}, for {@link EmbeddingExtractor#extract(List, EmbeddingExtractor.ImageSource)}. */
    public EmbeddingExtractor.ImageSource imageSource() {
        String prefix = Path.of(source).getFileName() + "#";
        return n -> {
            if (!n.startsWith(prefix)) throw new BadImageException(n, "not an image of " + source);
            int i;
            try {
                i = Integer.parseInt(n.substring(prefix.length()));
            } catch (NumberFormatException e) {
                throw new BadImageException(n, "not an image of " + source);
            }
            if (i < 0 || i >= images.size()) throw new BadImageException(n, "not an image of " + source);
            return image(i);
        };
    }

    /** The pairs, named as {@link #name(int)}, in file order (no line numbers: they are not lines). */
    public List<LfwPairs.Pair> pairList() {
        List<LfwPairs.Pair> out = new ArrayList<>(same.length);
        for (int i = 0; i < same.length; i++) out.add(new LfwPairs.Pair(name(2 * i), name(2 * i + 1), same[i], 0));
        return out;
    }
}
