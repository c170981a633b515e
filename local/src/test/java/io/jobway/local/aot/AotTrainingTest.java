package io.jobway.local.aot;

import static org.assertj.core.api.Assertions.assertThatCode;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The start-up cache is only as good as its training: if the training run fails, `./jobway build` starts
 * without the cache, and `./jobway up` takes twice as long. So the training must run through on the template.
 */
class AotTrainingTest {
    @Test
    void the_training_starts_jobway_in_memory_and_on_a_data_directory_and_its_jobs_succeed() {
        assertThatCode(() -> AotTraining.run(Path.of("../template.yaml"))).doesNotThrowAnyException();
    }
}
