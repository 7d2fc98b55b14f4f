package amface.io;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * SHA-256 as lower-case hex: the one digest behind sweep-run hashes, run-folder records and model fingerprints.
 * Every Java platform must provide SHA-256, so its absence is a broken JVM, not a user error.
 */
public final class Sha256 {
    private Sha256() { }

    /** A fresh digest to feed in pieces (large weights), finished with {@link #hex(MessageDigest)}. */
    public static MessageDigest digest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JVM has no SHA-256", e);
        }
    }

    /** 64 lower-case hex digits of the digest's result. */
    public static String hex(MessageDigest digest) {
        return HexFormat.of().formatHex(digest.digest());
    }

    /** 64 lower-case hex digits of SHA-256 over {@code bytes}. */
    public static String hex(byte[] bytes) {
        return HexFormat.of().formatHex(digest().digest(bytes));
    }

    /** 64 lower-case hex digits of SHA-256 over {@code text} as UTF-8. */
    public static String hex(String text) {
        return hex(text.getBytes(StandardCharsets.UTF_8));
    }
}
