package io.dartmart.engines.s3;

import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;

/** An S3 call that failed, as an action's error_message: what was being done, and S3's own words. */
public final class S3Failure {
    private S3Failure() {
    }

    public static IllegalStateException of(String doing, SdkException e) {
        return new IllegalStateException(doing + " failed: " + detail(e), e);
    }

    private static String detail(SdkException e) {
        if (e instanceof AwsServiceException service && service.awsErrorDetails() != null) {
            var details = service.awsErrorDetails();
            String message = details.errorMessage() == null ? "" : details.errorMessage() + " ";
            return message + "(" + service.statusCode() + (details.errorCode() == null ? "" : " " + details.errorCode())
                    + ")";
        }
        return e.getMessage();
    }
}
