package io.dartmart.domain.model;

import java.security.SecureRandom;

/** Random entity ids in the original's style: ten upper-case letters and digits. */
public final class Ids {
    private static final char[] ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789".toCharArray();
    private static final SecureRandom RANDOM = new SecureRandom();

    private Ids() {
    }

    public static String newId() {
        return random(10, ALPHABET);
    }

    /** A random token of letters, digits, '-' and '_' only, so that URL-encoding clients leave it unchanged. */
    public static String newToken(int length) {
        return random(length, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".toCharArray());
    }

    private static String random(int length, char[] alphabet) {
        char[] out = new char[length];
        for (int i = 0; i < length; i++) {
            out[i] = alphabet[RANDOM.nextInt(alphabet.length)];
        }
        return new String(out);
    }
}
