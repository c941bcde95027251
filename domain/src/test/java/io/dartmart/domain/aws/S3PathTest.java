package io.dartmart.domain.aws;

import io.dartmart.domain.error.InvalidInputException;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class S3PathTest {
    @Test
    void anS3PathNamesOneObject() {
        S3Path path = S3Path.parseObject(" s3://b/a/c.csv ", "s3_path");
        assertEquals(new S3Path("b", "a/c.csv"), path);
        assertEquals("c.csv", path.fileName());
        assertEquals("s3://b/a/", path.folder());
        assertEquals("s3://b/", S3Path.parseObject("s3://b/c.csv", "s3_path").folder());
        assertEquals("s3://b/a/c.csv", path.toString());
    }

    @Test
    void anythingElseIsRefusedNamingTheParameter() {
        for (String bad : new String[]{"s3://b/", "s3://b", "http://b/k", "s3:///k", "s3://b/folder/"}) {
            String message = assertThrows(InvalidInputException.class, () -> S3Path.parseObject(bad, "s3_path")).getMessage();
            assertTrue(message.startsWith("s3_path: must be one object"), bad + " -> " + message);
        }
        assertTrue(assertThrows(InvalidInputException.class, () -> S3Path.parseObject(null, "s3_path")).getMessage()
                .startsWith("s3_path: required"));
    }
}
