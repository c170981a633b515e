package io.jobway.local.emulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.Socket;
import java.net.URI;
import org.junit.jupiter.api.Test;

class AwsEndpointsTest {
    @Test
    void an_external_endpoint_serves_every_service_in_its_region_with_test_credentials_and_is_never_stopped() {
        AwsEndpoints external = AwsEndpoints.external(URI.create("http://127.0.0.1:4566"), "eu-west-1");

        external.close(); // nothing of its own to stop

        assertThat(external.isEmbedded()).isFalse();
        assertThat(external.sqs()).isEqualTo(external.dynamo()).isEqualTo(external.streams())
                .isEqualTo(URI.create("http://127.0.0.1:4566"));
        assertThat(external.region()).isEqualTo("eu-west-1");
        assertThat(external.credentials().accessKeyId()).isEqualTo("test");
        assertThat(external.describeSqs()).isEqualTo("external, region eu-west-1");
    }

    @Test
    void an_external_endpoint_must_be_a_url() {
        for (String typed : new String[] {"127.0.0.1:4566", "localhost 4566", "ftp://127.0.0.1:4566"}) {
            assertThatThrownBy(() -> AwsEndpoints.external(typed, "us-east-1")).as(typed)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("the AWS endpoint must be a URL such as http://127.0.0.1:4566, was '" + typed + "'");
        }
    }

    @Test
    void embedded_endpoints_are_the_emulators_it_started_and_closing_stops_them() {
        AwsEndpoints embedded = AwsEndpoints.embedded(null, 0, 0);
        try (var sqs = embedded.sqsClient(); var dynamo = embedded.dynamoClient()) {
            assertThat(sqs.listQueues().queueUrls()).isEmpty();
            assertThat(dynamo.listTables().tableNames()).isEmpty();
        } finally {
            embedded.close();
        }

        assertThat(embedded.isEmbedded()).isTrue();
        assertThat(embedded.region()).isEqualTo("us-east-1");
        assertThat(listening(embedded.sqs())).as("ElasticMQ's port").isFalse();
        assertThat(listening(embedded.dynamo())).as("DynamoDB Local's port").isFalse();
    }

    private static boolean listening(URI endpoint) {
        try (Socket socket = new Socket(endpoint.getHost(), endpoint.getPort())) {
            return socket.isConnected();
        } catch (IOException e) {
            return false;
        }
    }
}
