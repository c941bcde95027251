package io.dartmart.engines.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.dartmart.engines.s3.Args;

import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * How each request authenticates: none, bearer token, basic, an API key in a header or the query, or Hawk. Knows
 * its secrets, so that they can be kept out of every message.
 */
final class Auth {
    enum Type { NONE, BEARER, BASIC, API_KEY, HAWK }

    private static final SecureRandom NONCES = new SecureRandom();

    private final Type type;
    private final String headerValue;
    private final String keyName;
    private final String key;
    private final boolean keyInQuery;
    private final Hawk hawk;
    private final Clock clock;
    private final List<String> secrets;

    private Auth(Type type, String headerValue, String keyName, String key, boolean keyInQuery, Hawk hawk, Clock clock,
                 List<String> secrets) {
        this.type = type;
        this.headerValue = headerValue;
        this.keyName = keyName;
        this.key = key;
        this.keyInQuery = keyInQuery;
        this.hawk = hawk;
        this.clock = clock;
        this.secrets = secrets;
    }

    /**
     * @param auth the action's {@code auth}, or null for none
     * @throws IllegalArgumentException naming what the auth type needs but lacks
     */
    static Auth of(JsonNode auth, Clock clock) {
        String name = auth == null || auth.isNull() ? "none" : Args.optional(auth, "type");
        Type type;
        try {
            type = Type.valueOf((name == null ? "none" : name).toUpperCase(java.util.Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("auth.type must be none, bearer, basic, api_key or hawk, not " + name);
        }
        List<String> secrets = new ArrayList<>();
        switch (type) {
            case BEARER -> {
                String token = need(auth, "token", type);
                secrets.add(token);
                return new Auth(type, "Bearer " + token, null, null, false, null, clock, secrets);
            }
            case BASIC -> {
                String user = need(auth, "username", type);
                String password = need(auth, "password", type);
                String encoded = Base64.getEncoder().encodeToString((user + ":" + password)
                        .getBytes(StandardCharsets.UTF_8));
                secrets.add(password);
                secrets.add(encoded);
                return new Auth(type, "Basic " + encoded, null, null, false, null, clock, secrets);
            }
            case API_KEY -> {
                String key = need(auth, "api_key", type);
                String keyName = Args.blankToNull(Args.optional(auth, "api_key_name"));
                secrets.add(key);
                return new Auth(type, null, keyName == null ? "X-API-Key" : keyName, key,
                        "query".equals(Args.optional(auth, "api_key_in")), null, clock, secrets);
            }
            case HAWK -> {
                String key = need(auth, "hawk_key", type);
                String algorithm = Args.optional(auth, "hawk_algorithm");
                secrets.add(key);
                return new Auth(type, null, null, null, false, new Hawk(need(auth, "hawk_id", type), key,
                        algorithm == null ? "sha256" : algorithm), clock, secrets);
            }
            default -> {
                return new Auth(type, null, null, null, false, null, clock, secrets);
            }
        }
    }

    private static String need(JsonNode auth, String field, Type type) {
        String value = Args.optional(auth, field);
        if (value == null || value.isEmpty()) {
            throw new IllegalArgumentException("auth." + field + " is missing: auth type "
                    + type.name().toLowerCase(java.util.Locale.ROOT) + " needs it");
        }
        return value;
    }

    /** The secret values, as given and as sent. */
    List<String> secrets() {
        return List.copyOf(secrets);
    }

    /** The URL to request: with the API key among its query parameters when it goes there. */
    URI url(URI uri) {
        return keyInQuery ? Urls.withParams(uri, Map.of(keyName, key)) : uri;
    }

    /** Adds the auth header of a request to {@code uri} (already through {@link #url(URI)}). */
    void sign(HttpRequest.Builder request, String method, URI uri, String contentType, byte[] body) {
        switch (type) {
            case BEARER, BASIC -> request.header("Authorization", headerValue);
            case API_KEY -> {
                if (!keyInQuery) {
                    request.header(keyName, key);
                }
            }
            case HAWK -> {
                byte[] nonce = new byte[9];
                NONCES.nextBytes(nonce);
                request.header("Authorization", hawk.header(method, uri, clock.instant().getEpochSecond(),
                        Base64.getUrlEncoder().withoutPadding().encodeToString(nonce), contentType, body, null));
            }
            default -> {
            }
        }
    }
}
