package io.herald.storage;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * A real, small file system (tmpfs) mounted for a test, so a full disk is a real ENOSPC. Where mounting is impossible
 * (not root, no mount namespace) the test is skipped with the reason.
 */
final class SmallDisk implements AutoCloseable {
    private final Path mountPoint;

    private SmallDisk(Path mountPoint) {
        this.mountPoint = mountPoint;
    }

    static SmallDisk mount(Path mountPoint, int megabytes) throws IOException, InterruptedException {
        Files.createDirectories(mountPoint);
        String result = run("mount", "-t", "tmpfs", "-o", "size=" + megabytes + "m", "tmpfs", mountPoint.toString());
        assumeTrue(result.isEmpty(), () -> "skipped: cannot mount a " + megabytes + " MiB tmpfs (" + result + ")");
        return new SmallDisk(mountPoint);
    }

    Path path() {
        return mountPoint;
    }

    /** Writes {@code name} until the disk is full; returns the bytes written. */
    long fill(String name) throws IOException {
        byte[] chunk = new byte[4096];
        long written = 0;
        try (var out = Files.newOutputStream(mountPoint.resolve(name))) {
            while (true) {
                out.write(chunk);
                out.flush();
                written += chunk.length;
            }
        } catch (IOException e) {
            if (written == 0 && !String.valueOf(e.getMessage()).contains("space")) {
                throw e;
            }
        }
        return written;
    }

    private static String run(String... command) throws IOException, InterruptedException {
        Process p;
        try {
            p = new ProcessBuilder(command).redirectErrorStream(true).start();
        } catch (IOException e) {
            return e.getMessage();
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            return "timed out";
        }
        return p.exitValue() == 0 ? "" : (out.isEmpty() ? "exit " + p.exitValue() : out);
    }

    @Override
    public void close() throws IOException, InterruptedException {
        String result = run("umount", "-l", mountPoint.toString());
        if (!result.isEmpty()) {
            throw new IOException("umount " + mountPoint + " failed: " + result);
        }
    }
}
