package io.dartmart.engines.http;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/** URLs of requests: query parameters added, and a form fit for messages. */
final class Urls {
    private Urls() {
    }

    /** {@code uri} with {@code params} appended to its query, each name and value encoded. */
    static URI withParams(URI uri, Map<String, String> params) {
        if (params.isEmpty()) {
            return uri;
        }
        StringBuilder s = new StringBuilder(uri.toString());
        int fragment = s.indexOf("#");
        if (fragment >= 0) {
            s.setLength(fragment);
        }
        boolean first = uri.getRawQuery() == null;
        for (Map.Entry<String, String> p : params.entrySet()) {
            s.append(first ? '?' : '&').append(encode(p.getKey())).append('=').append(encode(p.getValue()));
            first = false;
        }
        return URI.create(s.toString());
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /**
     * Scheme, host, port and path only: the query may hold a key (or a cursor tied to one), so it stays out of
     * messages and logs.
     */
    static String shown(URI uri) {
        return uri.getScheme() + "://" + uri.getHost() + (uri.getPort() == -1 ? "" : ":" + uri.getPort())
                + (uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath());
    }

    /** Whether both reach the same server (scheme, host and port), so credentials may go to both. */
    static boolean sameOrigin(URI a, URI b) {
        return a.getScheme().equalsIgnoreCase(b.getScheme()) && a.getHost().equalsIgnoreCase(b.getHost())
                && port(a) == port(b);
    }

    static int port(URI uri) {
        return uri.getPort() != -1 ? uri.getPort() : "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
    }
}
