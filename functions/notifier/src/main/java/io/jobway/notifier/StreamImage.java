package io.jobway.notifier;

import com.amazonaws.services.lambda.runtime.events.models.dynamodb.AttributeValue;
import java.util.HashMap;
import java.util.Map;
import software.amazon.awssdk.core.SdkBytes;

/** A stream image, as the Lambda runtime delivers it, in the SDK's shape so the one item mapper reads it. */
final class StreamImage {
    private StreamImage() {
    }

    static Map<String, software.amazon.awssdk.services.dynamodb.model.AttributeValue> toSdk(
            Map<String, AttributeValue> image) {
        Map<String, software.amazon.awssdk.services.dynamodb.model.AttributeValue> item = new HashMap<>();
        image.forEach((name, value) -> item.put(name, toSdk(value)));
        return item;
    }

    private static software.amazon.awssdk.services.dynamodb.model.AttributeValue toSdk(AttributeValue v) {
        var b = software.amazon.awssdk.services.dynamodb.model.AttributeValue.builder();
        if (v.getS() != null) {
            b.s(v.getS());
        } else if (v.getN() != null) {
            b.n(v.getN());
        } else if (v.getBOOL() != null) {
            b.bool(v.getBOOL());
        } else if (v.getM() != null) {
            b.m(toSdk(v.getM()));
        } else if (v.getL() != null) {
            b.l(v.getL().stream().map(StreamImage::toSdk).toList());
        } else if (v.getSS() != null) {
            b.ss(v.getSS());
        } else if (v.getNS() != null) {
            b.ns(v.getNS());
        } else if (v.getB() != null) {
            b.b(SdkBytes.fromByteBuffer(v.getB()));
        } else {
            b.nul(true);
        }
        return b.build();
    }
}
