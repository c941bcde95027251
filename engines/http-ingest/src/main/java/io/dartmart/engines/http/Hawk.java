package io.dartmart.engines.http;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.Locale;

/**
 * The {@code Authorization: Hawk ...} header of a request (Hawk 1 header authentication): a MAC over the request's
 * time, nonce, method, resource, host and port, and the payload's hash when there is a body. No maintained Java
 * library of it is published, and the scheme is a few lines of the JDK's HMAC.
 */
final class Hawk {
    private final String id;
    private final byte[] key;
    private final String algorithm;

    /** @param algorithm sha256 or sha1 */
    Hawk(String id, String key, String algorithm) {
        this.id = id;
        this.key = key.getBytes(StandardCharsets.UTF_8);
        this.algorithm = algorithm;
    }

    /**
     * The header's value.
     *
     * @param contentType the body's media type; ignored without a payload
     * @param payload     the body, or null when the request has none
     * @param ext         application data to sign, or null
     */
    String header(String method, URI uri, long timestampSeconds, String nonce, String contentType, byte[] payload,
                  String ext) {
        String hash = payload == null ? null : payloadHash(contentType, payload);
        String resource = uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
        int port = Urls.port(uri);
        String normalized = "hawk.1.header\n" + timestampSeconds + "\n" + nonce + "\n"
                + method.toUpperCase(Locale.ROOT) + "\n" + resource + "\n" + uri.getHost().toLowerCase(Locale.ROOT)
                + "\n" + port + "\n" + (hash == null ? "" : hash) + "\n"
                + (ext == null ? "" : ext.replace("\\", "\\\\").replace("\n", "\\n")) + "\n";
        StringBuilder h = new StringBuilder("Hawk id=\"").append(escape(id)).append("\", ts=\"")
                .append(timestampSeconds).append("\", nonce=\"").append(escape(nonce)).append('"');
        if (hash != null) {
            h.append(", hash=\"").append(hash).append('"');
        }
        if (ext != null) {
            h.append(", ext=\"").append(escape(ext)).append('"');
        }
        return h.append(", mac=\"").append(mac(normalized)).append('"').toString();
    }

    /** The hash of a payload: its media type (without parameters, lower case) and bytes. */
    String payloadHash(String contentType, byte[] payload) {
        String type = contentType == null ? "" : contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
        try {
            MessageDigest d = MessageDigest.getInstance("sha1".equals(algorithm) ? "SHA-1" : "SHA-256");
            d.update(("hawk.1.payload\n" + type + "\n").getBytes(StandardCharsets.UTF_8));
            d.update(payload);
            d.update((byte) '\n');
            return Base64.getEncoder().encodeToString(d.digest());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK lacks " + algorithm, e);
        }
    }

    private String mac(String normalized) {
        String name = "sha1".equals(algorithm) ? "HmacSHA1" : "HmacSHA256";
        try {
            Mac mac = Mac.getInstance(name);
            mac.init(new SecretKeySpec(key, name));
            return Base64.getEncoder().encodeToString(mac.doFinal(normalized.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK lacks " + name, e);
        }
    }

    private static String escape(String value) {
        return value.replace("\\", "\\\\").replace("\"", "\\\"");
    }
}
