package io.jobway.local.emulator;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

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
            Files.walkFileTree(dataDir, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                    Files.setPosixFilePermissions(dir, DIRECTORY);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    if (!attrs.isSymbolicLink()) { // a link's target is not ours to change
                        try {
                            Files.setPosixFilePermissions(file, FILE);
                        } catch (NoSuchFileException gone) {
                            // SQLite removes its -shm and -wal files as a database closes: nothing left to secure
                        }
                    }
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
                    if (e instanceof NoSuchFileException) {
                        return FileVisitResult.CONTINUE; // gone between the listing and the look, as above
                    }
                    throw e;
                }
            });
            return dataDir;
        } catch (IOException e) {
            throw new UncheckedIOException("could not make " + dataDir + " its owner's only", e);
        }
    }
}
