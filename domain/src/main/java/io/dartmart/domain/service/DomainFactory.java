package io.dartmart.domain.service;

import io.dartmart.domain.schema.SecretCipher;
import io.dartmart.domain.schema.Secrets;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Value;
import jakarta.inject.Singleton;

import java.time.Clock;

@Factory
public class DomainFactory {
    /** Tests replace this bean to move time by hand. */
    @Singleton
    Clock clock() {
        return Clock.systemUTC();
    }

    @Singleton
    Secrets secrets(@Value("${dart.secrets.key:}") String key) {
        if (key == null || key.isBlank()) {
            throw new IllegalStateException("dart.secrets.key (DART_SECRETS_KEY) is not set: it must be 32 random bytes"
                    + " in base64, e.g. the output of `openssl rand -base64 32`; local mode creates one by itself");
        }
        return new Secrets(new SecretCipher(key));
    }
}
