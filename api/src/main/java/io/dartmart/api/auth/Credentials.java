package io.dartmart.api.auth;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;

/** A {@code key:secret} pair read from an Authorization header, HTTP Basic or Bearer. */
public record Credentials(String key, String secret) {
    private static final Logger LOG = LoggerFactory.getLogger(Credentials.class);

    public static Optional<Credentials> fromHeader(String header) {
        if (header == null) {
            return Optional.empty();
        }
        String h = header.strip();
        String pair;
        if (h.regionMatches(true, 0, "Basic ", 0, 6)) {
            try {
                pair = new String(Base64.getDecoder().decode(h.substring(6).strip()), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                LOG.debug("an Authorization header's Basic credentials are not base64");
                return Optional.empty();
            }
        } else if (h.regionMatches(true, 0, "Bearer ", 0, 7)) {
            pair = h.substring(7).strip();
        } else {
            return Optional.empty();
        }
        // some clients URL-encode Basic credentials (the colon as %3A); keys and secrets never contain characters
        // that change, so a pair that is not valid URL-encoding is no credential at all
        try {
            pair = URLDecoder.decode(pair, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            LOG.debug("an Authorization header's credentials are not valid URL-encoding");
            return Optional.empty();
        }
        int colon = pair.indexOf(':');
        if (colon <= 0 || colon == pair.length() - 1) {
            return Optional.empty();
        }
        return Optional.of(new Credentials(pair.substring(0, colon), pair.substring(colon + 1)));
    }
}
