package amface.notebook;

import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One rendered output as Jupyter sees it: MIME type to data, with binary data (PNG) already base64-encoded as the
 * messaging protocol wants. Always carries a {@code text/plain} fallback for front ends that show only text.
 */
public final class MimeBundle {
    public static final String PNG = "image/png";
    public static final String HTML = "text/html";
    public static final String TEXT = "text/plain";

    private final Map<String, String> data;

    private MimeBundle(Map<String, String> data) {
        this.data = Collections.unmodifiableMap(data);
    }

    /** A PNG image with a short text description for text-only front ends. */
    public static MimeBundle png(byte[] png, String text) {
        Objects.requireNonNull(png, "png");
        Map<String, String> m = new LinkedHashMap<>();
        m.put(PNG, Base64.getEncoder().encodeToString(png));
        m.put(TEXT, text);
        return new MimeBundle(m);
    }

    /** An HTML fragment with its plain-text equivalent. */
    public static MimeBundle html(String html, String text) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put(HTML, Objects.requireNonNull(html, "html"));
        m.put(TEXT, text);
        return new MimeBundle(m);
    }

    /** Plain text only. */
    public static MimeBundle text(String text) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put(TEXT, Objects.requireNonNull(text, "text"));
        return new MimeBundle(m);
    }

    /** MIME type to data, in insertion order; PNG data is base64. */
    public Map<String, String> data() {
        return data;
    }

    public boolean has(String mimeType) {
        return data.containsKey(mimeType);
    }

    /** The data for {@code mimeType}, or null. */
    public String get(String mimeType) {
        return data.get(mimeType);
    }

    /** The decoded PNG bytes; throws if this bundle holds no PNG. */
    public byte[] pngBytes() {
        String b64 = data.get(PNG);
        if (b64 == null) throw new IllegalStateException("this output has no " + PNG + " (it has " + data.keySet() + ")");
        return Base64.getDecoder().decode(b64);
    }

    @Override
    public String toString() {
        return "MimeBundle" + data.keySet();
    }
}
