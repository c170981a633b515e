package io.jobway.local.emulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.ConnectException;
import java.nio.file.Path;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmulatorLifecycleTest {
    @TempDir
    Path dataDir;

    @Test
    void a_stopped_emulator_no_longer_accepts_connections() {
        var sqs = EmbeddedSqs.startInMemory(0);
        var dynamo = EmbeddedDynamo.startInMemory(0);

        sqs.stop();
        dynamo.stop();

        assertThatThrownBy(() -> LoopbackBindingTest.connects("127.0.0.1", sqs.port())).isInstanceOf(ConnectException.class);
        assertThatThrownBy(() -> LoopbackBindingTest.connects("127.0.0.1", dynamo.port())).isInstanceOf(ConnectException.class);
    }

    @Test
    void stopped_emulators_leave_no_thread_that_would_keep_the_jvm_running() throws InterruptedException {
        Set<Thread> before = nonDaemonThreads();
        try (var emulators = Emulators.persistent(dataDir)) {
            LocalResources.of(LocalResourcesTest.TEMPLATE, emulators.sqs, emulators.dynamo).createAll();
        }

        Set<Thread> left = nonDaemonThreads();
        for (int wait = 0; wait < 20 && !before.containsAll(left); wait++) {
            Thread.sleep(100);
            left = nonDaemonThreads();
        }
        left.removeAll(before);
        assertThat(left).extracting(Thread::getName).isEmpty();
    }

    @Test
    void one_persistent_sqs_runs_per_jvm_and_the_next_one_uses_its_own_directory() {
        try (var first = EmbeddedSqs.startPersistent(dataDir.resolve("one"), 0);
                var client = EmulatorClients.sqs(first.endpoint())) {
            client.createQueue(b -> b.queueName("only-in-one"));
            assertThatThrownBy(() -> EmbeddedSqs.startPersistent(dataDir.resolve("two"), 0))
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("one at a time");
        }

        try (var second = EmbeddedSqs.startPersistent(dataDir.resolve("two"), 0);
                var client = EmulatorClients.sqs(second.endpoint())) {
            assertThat(client.listQueues().queueUrls()).isEmpty();
        }
    }

    private static Set<Thread> nonDaemonThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(thread -> thread.isAlive() && !thread.isDaemon())
                .collect(Collectors.toSet());
    }

    @Test
    void without_the_library_path_property_dynamo_uses_the_native_library_the_build_copied() {
        String configured = System.clearProperty(EmbeddedDynamo.LIBRARY_PATH_PROPERTY);
        try {
            EmbeddedDynamo.startInMemory(0).stop();

            assertThat(Path.of(System.getProperty(EmbeddedDynamo.LIBRARY_PATH_PROPERTY)))
                    .isEqualTo(Path.of("target", "native").toAbsolutePath());
        } finally {
            System.setProperty(EmbeddedDynamo.LIBRARY_PATH_PROPERTY, configured);
        }
    }
}
