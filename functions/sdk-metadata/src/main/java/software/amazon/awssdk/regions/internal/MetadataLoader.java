package software.amazon.awssdk.regions.internal;

import software.amazon.awssdk.annotations.SdkInternalApi;
import software.amazon.awssdk.regions.GeneratedPartitionMetadataProvider;
import software.amazon.awssdk.regions.GeneratedRegionMetadataProvider;
import software.amazon.awssdk.regions.GeneratedServiceMetadataProvider;
import software.amazon.awssdk.regions.PartitionMetadata;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.RegionMetadata;
import software.amazon.awssdk.regions.ServiceMetadata;
import software.amazon.awssdk.regions.servicemetadata.DynamodbServiceMetadata;
import software.amazon.awssdk.regions.servicemetadata.SqsServiceMetadata;

/**
 * Jobway's replacement for the SDK's class of the same name, in every function package: the same answers,
 * built later. The SDK's version builds, in its static initializer, the metadata of all 313 AWS services and of
 * every region (some 370 classes, ~0.15 s of every cold start), because building any client asks for its own
 * service's metadata. This one builds each table on first use, and answers for the services Jobway's functions
 * call without building the table at all. MetadataLoaderTest holds it to the SDK's tables and to the SDK's
 * class's methods, so an SDK upgrade that changes either fails the build.
 */
@SdkInternalApi
public final class MetadataLoader {
    private MetadataLoader() {
    }

    public static PartitionMetadata partitionMetadata(Region region) {
        return Partitions.PROVIDER.partitionMetadata(region);
    }

    public static PartitionMetadata partitionMetadata(String partition) {
        return Partitions.PROVIDER.partitionMetadata(partition);
    }

    public static RegionMetadata regionMetadata(Region region) {
        return Regions.PROVIDER.regionMetadata(region);
    }

    public static ServiceMetadata serviceMetadata(String service) {
        return switch (service) {
            case "dynamodb" -> Dynamodb.METADATA;
            case "sqs" -> Sqs.METADATA;
            // the API Gateway Management API: the SDK's table has no entry (callers fall back to a default)
            case "execute-api" -> null;
            default -> Services.PROVIDER.serviceMetadata(service);
        };
    }

    // Holder classes: the JVM builds each field when it is first read, once, thread-safely.

    private static final class Partitions {
        static final GeneratedPartitionMetadataProvider PROVIDER = new GeneratedPartitionMetadataProvider();
    }

    private static final class Regions {
        static final GeneratedRegionMetadataProvider PROVIDER = new GeneratedRegionMetadataProvider();
    }

    private static final class Services {
        static final GeneratedServiceMetadataProvider PROVIDER = new GeneratedServiceMetadataProvider();
    }

    private static final class Dynamodb {
        static final ServiceMetadata METADATA = new DynamodbServiceMetadata();
    }

    private static final class Sqs {
        static final ServiceMetadata METADATA = new SqsServiceMetadata();
    }
}
