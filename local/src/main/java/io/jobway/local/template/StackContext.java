package io.jobway.local.template;

import java.util.Map;

/**
 * Where a stack lives: the values of CloudFormation's pseudo parameters. Locally the region and account are
 * the emulators' (us-east-1, 000000000000) so ARNs look like the ones ElasticMQ and DynamoDB Local return.
 */
public record StackContext(String stackName, String region, String accountId) {
    public static final StackContext LOCAL = new StackContext("jobway-local", "us-east-1", "000000000000");

    public Map<String, String> pseudoParameters() {
        return Map.of(
                "AWS::StackName", stackName,
                "AWS::Region", region,
                "AWS::AccountId", accountId,
                "AWS::Partition", "aws",
                "AWS::URLSuffix", "amazonaws.com",
                "AWS::StackId", "arn:aws:cloudformation:" + region + ":" + accountId + ":stack/" + stackName + "/local");
    }

    /** The physical name of a resource, deterministic so a restart finds what the last run created. */
    public String physicalName(String logicalId) {
        return stackName + "-" + logicalId;
    }
}
