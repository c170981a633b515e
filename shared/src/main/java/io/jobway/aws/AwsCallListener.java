package io.jobway.aws;

import software.amazon.awssdk.core.SdkResponse;
import software.amazon.awssdk.http.SdkHttpRequest;

/**
 * Sees every AWS call a function's clients make: the cost model's call counter and the priming tests listen
 * this way. Called on the calling thread; a listener must not throw.
 */
public interface AwsCallListener {
    AwsCallListener NONE = new AwsCallListener() {
    };

    /** An attempt of {@code operation} about to be sent, signed. */
    default void sending(String operation, SdkHttpRequest request) {
    }

    /** {@code operation} succeeded with {@code response}. */
    default void answered(String operation, SdkResponse response) {
    }
}
