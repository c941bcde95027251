package io.dartmart.domain.schema;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dartmart.domain.error.InvalidInputException;
import io.dartmart.domain.model.Json;
import org.junit.jupiter.api.Test;

import java.util.Base64;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SecretsTest {
    private static final JsonNode SCHEMA = Json.parse("""
            {
              "type": "object",
              "properties": {
                "user": {"type": "string"},
                "password": {"type": "string", "x-dart-secret": true},
                "pin": {"type": "integer", "x-dart-secret": true},
                "conn": {"type": "object", "properties": {"token": {"type": "string", "x-dart-secret": true},
                                                          "host": {"type": "string"}}},
                "flagged": {"type": "string", "x-dart-secret": false}
              }
            }""", "schema");

    private final SecretCipher cipher = new SecretCipher(SecretCipher.newKey());
    private final Secrets secrets = new Secrets(cipher);

    private static ObjectNode doc(String json) {
        return (ObjectNode) Json.parse(json, "doc");
    }

    private ObjectNode sealedDoc() {
        ObjectNode d = doc("""
                {"user": "u", "password": "hunter2", "pin": 1234, "conn": {"token": "t0k3n", "host": "h"}, "flagged": "f"}""");
        secrets.seal(d, SCHEMA, java.util.List.of());
        return d;
    }

    @Test
    void secretPathsFollowTheSchemaIntoNestedObjects() {
        assertEquals(List.of(List.of("password"), List.of("pin"), List.of("conn", "token")), Secrets.secretPaths(SCHEMA));
    }

    @Test
    void sealedValuesAreCipherTextNotPlainText() {
        ObjectNode d = sealedDoc();
        String json = Json.write(d);
        for (String plain : List.of("hunter2", "1234", "t0k3n")) {
            assertFalse(json.contains(plain), plain + " leaked into " + json);
        }
        for (JsonNode sealed : List.of(d.get("password"), d.get("pin"), d.get("conn").get("token"))) {
            assertTrue(sealed.isTextual() && sealed.asText().startsWith(SecretCipher.PREFIX), sealed.toString());
        }
        // what the schema does not mark stays as it was
        assertEquals("u", d.get("user").asText());
        assertEquals("h", d.get("conn").get("host").asText());
        assertEquals("f", d.get("flagged").asText());
    }

    @Test
    void unsealRoundTripsStringsAndNumbers() {
        JsonNode original = doc("""
                {"user": "u", "password": "hunter2", "pin": 1234, "conn": {"token": "t0k3n", "host": "h"}, "flagged": "f"}""");
        JsonNode clear = secrets.unseal(sealedDoc());
        assertEquals(original, clear);
        assertTrue(clear.get("pin").isIntegralNumber(), "a number comes back as a number, not as text");
    }

    @Test
    void cipherRoundTripsAnyText() {
        for (String plain : List.of("", "x", "päss wörd ✓", "\"quoted\" \\ and 'single'", "a".repeat(10_000))) {
            String sealed = cipher.seal(plain);
            assertTrue(SecretCipher.isSealed(sealed));
            assertEquals(plain, cipher.unseal(sealed));
        }
    }

    @Test
    void sealingTheSameValueTwiceGivesDifferentCipherText() {
        // a fixed IV would reveal equal secrets and break GCM
        assertNotEquals(cipher.seal("same"), cipher.seal("same"));
        assertNotEquals(sealedDoc().get("password"), sealedDoc().get("password"));
    }

    @Test
    void nullAndAbsentSecretsAreLeftAlone() {
        ObjectNode d = doc("{\"password\": null}");
        secrets.seal(d, SCHEMA, java.util.List.of());
        assertTrue(d.get("password").isNull());
        assertFalse(d.has("pin"));
        assertFalse(d.has("conn"));
    }

    @Test
    void maskHidesEverySealedValueAnywhere() {
        String s = cipher.seal("\"x\"");
        ObjectNode d = doc("{\"plain\": \"keep\", \"n\": 1, \"list\": [], \"obj\": {}}");
        d.put("top", s);
        d.putObject("a").putObject("b").put("c", s);
        d.putArray("arr").add(s).add("keep").addObject().put("k", s);
        JsonNode masked = Secrets.mask(d);

        assertEquals(doc("""
                {"plain": "keep", "n": 1, "list": [], "obj": {}, "top": "********", "a": {"b": {"c": "********"}},
                 "arr": ["********", "keep", {"k": "********"}]}"""), masked);
        assertFalse(Json.write(masked).contains(SecretCipher.PREFIX));
        assertEquals(s, d.get("top").asText(), "mask answers a copy, the stored document keeps its secrets");
    }

    @Test
    void maskedDocumentSentBackKeepsTheStoredSecrets() {
        ObjectNode stored = sealedDoc();
        ObjectNode incoming = (ObjectNode) Secrets.mask(stored);
        incoming.put("user", "changed");

        secrets.restoreMasked(incoming, stored, "/data/args");

        assertEquals("hunter2", incoming.get("password").asText());
        assertEquals(1234, incoming.get("pin").asInt());
        assertEquals("t0k3n", incoming.get("conn").get("token").asText());
        assertEquals("changed", incoming.get("user").asText());
    }

    @Test
    void aNewSecretReplacesTheStoredOne() {
        ObjectNode stored = sealedDoc();
        ObjectNode incoming = doc("{\"password\": \"new-pass\", \"pin\": \"********\"}");
        secrets.restoreMasked(incoming, stored, "/data/args");
        assertEquals("new-pass", incoming.get("password").asText());
        assertEquals(1234, incoming.get("pin").asInt());
    }

    @Test
    void theMaskIsNeverStoredAsAValue() {
        ObjectNode stored = sealedDoc();
        // the schema no longer marks "password" secret: the stored secret is kept, and sealed again
        ObjectNode incoming = doc("{\"password\": \"********\"}");
        var kept = secrets.restoreMasked(incoming, stored, "/data/args");
        secrets.seal(incoming, Json.object(), kept);
        assertTrue(SecretCipher.isSealed(incoming.get("password").asText()));
        assertEquals("hunter2", secrets.unseal(incoming).get("password").asText());
        // nothing stored to keep: refused, not stored as the literal mask
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> secrets.restoreMasked(doc("{\"user\": \"********\"}"), stored, "/data/args"));
        assertTrue(e.getMessage().startsWith("/data/args/user"), e.getMessage());
    }

    @Test
    void aWrongKeyCannotUnseal() {
        ObjectNode stored = sealedDoc();
        Secrets other = new Secrets(new SecretCipher(SecretCipher.newKey()));
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> other.unseal(stored));
        assertTrue(e.getMessage().contains("dart.secrets.key"), e.getMessage());
    }

    @Test
    void tamperedOrTruncatedCipherTextIsRejected() {
        String sealed = cipher.seal("secret");
        byte[] raw = Base64.getDecoder().decode(sealed.substring(SecretCipher.PREFIX.length()));
        raw[raw.length - 1] ^= 1;
        String tampered = SecretCipher.PREFIX + Base64.getEncoder().encodeToString(raw);
        assertThrows(InvalidInputException.class, () -> cipher.unseal(tampered));
        assertThrows(InvalidInputException.class, () -> cipher.unseal(SecretCipher.PREFIX + "AAAA"));
        assertThrows(InvalidInputException.class, () -> cipher.unseal(SecretCipher.PREFIX + "not base64!"));
    }

    @Test
    void keysMustBe32BytesOfBase64() {
        String key16 = Base64.getEncoder().encodeToString(new byte[16]);
        String key33 = Base64.getEncoder().encodeToString(new byte[33]);
        IllegalArgumentException shortKey = assertThrows(IllegalArgumentException.class, () -> new SecretCipher(key16));
        assertTrue(shortKey.getMessage().contains("32 bytes"), shortKey.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new SecretCipher(key33));
        assertThrows(IllegalArgumentException.class, () -> new SecretCipher("not base64 at all!"));
        assertThrows(IllegalArgumentException.class, () -> new SecretCipher(""));
        // as printed by `openssl rand -base64 32`, with its newline
        new SecretCipher(Base64.getEncoder().encodeToString(new byte[32]) + "\n");
    }

    @Test
    void newKeysAreUsableAndDistinct() {
        String a = SecretCipher.newKey();
        assertEquals(32, Base64.getDecoder().decode(a).length);
        assertNotEquals(a, SecretCipher.newKey());
    }
}
