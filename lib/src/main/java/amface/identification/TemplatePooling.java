package amface.identification;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import amface.eval.Embeddings;
import amface.eval.OriginalAndMirrored;

/**
 * Subject templates as IJB-B / IJB-C evaluations build them: the mean of the L2-normalised features of a subject's
 * images (optionally with each image's mirror image as one more member), normalised again. Used to build gallery
 * and probe sets with one entry per subject, so that ranks count identities.
 * <pre>{@code
 * float[] t = TemplatePooling.pool(List.of(e1, e2, e3));
 * Map<String, float[]> gallery = TemplatePooling.byIdentity(embeddings, TemplatePooling::lfwIdentity);
 * }</pre>
 */
public final class TemplatePooling {
    private TemplatePooling() { }

    /** {@code v / |v|} (a copy); a zero vector is refused, it has no direction. */
    public static float[] normalise(float[] v) {
        double ss = 0;
        for (float x : v) ss += (double) x * x;
        if (!(ss > 0) || !Double.isFinite(ss)) throw new IllegalArgumentException("cannot normalise an embedding of norm " + Math.sqrt(ss));
        double inv = 1 / Math.sqrt(ss);
        float[] out = new float[v.length];
        for (int i = 0; i < v.length; i++) out[i] = (float) (v[i] * inv);
        return out;
    }

    /** The template of {@code members}: the normalised mean of their normalised features. */
    public static float[] pool(List<float[]> members) {
        if (members.isEmpty()) throw new IllegalArgumentException("a template needs at least one image");
        int d = members.get(0).length;
        double[] sum = new double[d];
        for (float[] m : members) {
            if (m.length != d) throw new IllegalArgumentException("features of dimension " + m.length + " and " + d + " in one template");
            float[] u = normalise(m);
            for (int i = 0; i < d; i++) sum[i] += u[i];
        }
        float[] mean = new float[d];
        for (int i = 0; i < d; i++) mean[i] = (float) (sum[i] / members.size());
        return normalise(mean);
    }

    /** As {@link #pool(List)} with each image's mirror-image feature as one more member (IJB's flip option). */
    public static float[] poolWithFlips(List<float[]> originals, List<float[]> mirrored) {
        if (originals.size() != mirrored.size()) throw new IllegalArgumentException(originals.size() + " features but " + mirrored.size() + " mirror-image features");
        List<float[]> all = new ArrayList<>(originals);
        all.addAll(mirrored);
        return pool(all);
    }

    /** One template per identity of {@code embeddings} (identity of a path by {@code identityOf}), in first-seen order. */
    public static Map<String, float[]> byIdentity(Embeddings embeddings, Function<String, String> identityOf) {
        return pooled(group(embeddings.paths(), identityOf), p -> List.of(embeddings.get(p)));
    }

    /** As {@link #byIdentity} with each image's mirror image pooled as well. */
    public static Map<String, float[]> byIdentityWithFlips(OriginalAndMirrored features, Function<String, String> identityOf) {
        return pooled(group(features.original().paths(), identityOf), p -> List.of(features.original().get(p), features.mirrored().get(p)));
    }

    private static Map<String, List<String>> group(List<String> paths, Function<String, String> identityOf) {
        Map<String, List<String>> groups = new LinkedHashMap<>();
        for (String p : paths) groups.computeIfAbsent(identityOf.apply(p), k -> new ArrayList<>()).add(p);
        return groups;
    }

    private static Map<String, float[]> pooled(Map<String, List<String>> groups, Function<String, List<float[]>> featuresOf) {
        Map<String, float[]> out = new LinkedHashMap<>();
        groups.forEach((id, paths) -> {
            List<float[]> members = new ArrayList<>();
            for (String p : paths) members.addAll(featuresOf.apply(p));
            out.put(id, pool(members));
        });
        return out;
    }

    /** The identity of an LFW-style path {@code Name/Name_0001.jpg}: its folder. */
    public static String lfwIdentity(String path) {
        int slash = path.indexOf('/');
        if (slash <= 0) throw new IllegalArgumentException("path " + path + " has no identity folder (expected Name/file)");
        return path.substring(0, slash);
    }
}
