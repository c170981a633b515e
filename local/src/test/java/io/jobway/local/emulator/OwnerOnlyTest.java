package io.jobway.local.emulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OwnerOnlyTest {
    @TempDir
    Path temp;

    @Test
    void a_data_dir_made_with_the_usual_umask_becomes_its_owners_only() throws Exception {
        Path dataDir = temp.resolve("data");
        Path table = Files.createDirectories(dataDir.resolve("dynamodb"));
        Files.setPosixFilePermissions(dataDir, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.setPosixFilePermissions(table, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path db = Files.writeString(table.resolve("shared-local-instance.db"), "secrets");
        Files.setPosixFilePermissions(db, PosixFilePermissions.fromString("rw-r--r--"));

        OwnerOnly.secure(dataDir);

        assertThat(Files.getPosixFilePermissions(dataDir)).isEqualTo(OwnerOnly.DIRECTORY);
        assertThat(Files.getPosixFilePermissions(table)).isEqualTo(OwnerOnly.DIRECTORY);
        assertThat(Files.getPosixFilePermissions(db)).isEqualTo(OwnerOnly.FILE);
    }

    @Test
    void a_data_dir_that_does_not_exist_is_created_its_owners_only() throws Exception {
        Path dataDir = OwnerOnly.secure(temp.resolve("new/.jobway"));

        assertThat(Files.getPosixFilePermissions(dataDir)).isEqualTo(OwnerOnly.DIRECTORY);
    }
}
