package software.amazon.awssdk.regions.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.regions.GeneratedPartitionMetadataProvider;
import software.amazon.awssdk.regions.GeneratedRegionMetadataProvider;
import software.amazon.awssdk.regions.GeneratedServiceMetadataProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.ServiceMetadata;
import software.amazon.awssdk.services.apigatewaymanagementapi.ApiGatewayManagementApiClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.sqs.SqsClient;

/** Jobway's MetadataLoader answers as the SDK's does, and has every method the SDK's has. */
class MetadataLoaderTest {
    private static final GeneratedServiceMetadataProvider SDK_SERVICES = new GeneratedServiceMetadataProvider();

    @Test
    void this_test_runs_against_jobways_class_not_the_sdks() {
        assertThat(MetadataLoader.class.getProtectionDomain().getCodeSource().getLocation().toString())
                .doesNotContain("regions-");
    }

    @Test
    void the_services_of_jobways_clients_get_what_the_sdks_table_has() {
        // the endpoint prefixes the SDK looks up when it builds these clients
        for (String service : List.of(DynamoDbClient.SERVICE_METADATA_ID, SqsClient.SERVICE_METADATA_ID,
                ApiGatewayManagementApiClient.SERVICE_METADATA_ID)) {
            assertSameAsSdk(service);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"s3", "sts", "iam", "monitoring", "logs", "no-such-service"})
    void every_other_service_gets_what_the_sdks_table_has(String service) {
        assertSameAsSdk(service);
    }

    @Test
    void regions_and_partitions_are_the_sdks() {
        for (Region region : List.of(Region.US_EAST_1, Region.EU_WEST_1, Region.CN_NORTH_1, Region.US_GOV_WEST_1)) {
            assertThat(MetadataLoader.regionMetadata(region).domain())
                    .isEqualTo(new GeneratedRegionMetadataProvider().regionMetadata(region).domain());
            assertThat(MetadataLoader.partitionMetadata(region).id())
                    .isEqualTo(new GeneratedPartitionMetadataProvider().partitionMetadata(region).id());
        }
        assertThat(MetadataLoader.partitionMetadata("aws-cn").dnsSuffix()).isEqualTo("amazonaws.com.cn");
    }

    @Test
    void it_has_the_same_public_methods_as_the_sdks_class() throws Exception {
        URL regionsJar = GeneratedServiceMetadataProvider.class.getProtectionDomain().getCodeSource().getLocation();
        URL[] sdkJars = {regionsJar, jarOf(software.amazon.awssdk.annotations.SdkInternalApi.class),
                jarOf(software.amazon.awssdk.utils.Validate.class)};
        try (var sdkOnly = new URLClassLoader(sdkJars, ClassLoader.getPlatformClassLoader())) {
            Class<?> sdks = sdkOnly.loadClass(MetadataLoader.class.getName());
            assertThat(sdks.getProtectionDomain().getCodeSource().getLocation()).isEqualTo(regionsJar);
            assertThat(publicMethods(MetadataLoader.class)).isEqualTo(publicMethods(sdks));
        }
    }

    private static void assertSameAsSdk(String service) {
        ServiceMetadata ours = MetadataLoader.serviceMetadata(service);
        ServiceMetadata sdks = SDK_SERVICES.serviceMetadata(service);
        assertThat(ours == null ? null : ours.getClass()).as(service)
                .isEqualTo(sdks == null ? null : sdks.getClass());
    }

    private static URL jarOf(Class<?> type) {
        return type.getProtectionDomain().getCodeSource().getLocation();
    }

    private static Set<String> publicMethods(Class<?> type) {
        return Arrays.stream(type.getDeclaredMethods()).filter(m -> Modifier.isPublic(m.getModifiers()))
                .map(MetadataLoaderTest::signature).collect(Collectors.toSet());
    }

    private static String signature(Method method) {
        return (Modifier.isStatic(method.getModifiers()) ? "static " : "") + method.getReturnType().getName() + " "
                + method.getName() + Arrays.stream(method.getParameterTypes()).map(Class::getName).toList();
    }
}
