package io.jobway.local.emulator;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The data directory holds webhook signing secrets, hook sources' secrets and API key hashes, so it is its
 * owner's alone, as ~/.ssh is: the directory and those inside it rwx------, so no other user can reach a file in
 * it whatever the umask made of the file, and the files already there rw-------. A file system without POSIX
 * permissions is left as it is.
 */
public final class OwnerOnly {
    static final Set<PosixFilePermission> DIRECTORY = PosixFilePermissions.fromString("rwx------");
    static final Set<PosixFilePermission> FILE = PosixFilePermissions.fromString("rw-------");

    private OwnerOnly() {
    }

    /** Creates {@code dataDir} if need be, and makes it and everything in it its owner's only. */
    public static Path secure(Path dataDir) {
        try {
            Files.createDirectories(dataDir);
            if (Files.getFileAttributeView(dataDir, PosixFileAttributeView.class) == null) {
                return dataDir;
            }
            try (Stream<Path> paths = Files.walk(dataDir)) {
                for (Path path : (Iterable<Path>) paths::iterator) {
                    if (Files.isSymbolicLink(path)) {
                        continue; // its target is not ours to change
                    }
                    Files.setPosixFilePermissions(path, Files.isDirectory(path) ? DIRECTORY : FILE);
                }
            }
            return dataDir;
        } catch (IOException e) {
            throw new UncheckedIOException("could not make " + dataDir + " its owner's only", e);
        }
    }
}
