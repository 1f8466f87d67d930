package io.herald.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Self-signed certificates made with the JDK's keytool for tests: a broker key pair for localhost/127.0.0.1, a client
 * key pair with the given DN, and one PKCS12 trust store holding both certificates (Kafka checks at start-up that a
 * listener's own key store is trusted by its trust store). Made once per build directory: keytool is a JVM start per
 * step, slow on a busy machine.
 */
record TestCertificates(Path serverKeystore, Path serverTruststore, Path clientKeystore, Path clientTruststore) {
    static final String PASSWORD = "store-secret-1";
    static final String CLIENT_DN = "CN=alice,OU=clients,O=Herald";

    /** The broker's certificate in PEM, for clients that take a CA file (librdkafka's ssl.ca.location). */
    Path serverCertificate() {
        return serverKeystore.resolveSibling("server.crt");
    }

    static synchronized TestCertificates create() throws IOException {
        Path dir = Path.of("target", "test-certificates").toAbsolutePath();
        Path serverKeystore = dir.resolve("server.keystore.p12");
        Path clientKeystore = dir.resolve("client.keystore.p12");
        Path truststore = dir.resolve("truststore.p12");
        TestCertificates certs = new TestCertificates(serverKeystore, truststore, clientKeystore, truststore);
        // Reused within a day when every file is there (a directory left by an older build may lack newer ones).
        if (Files.exists(truststore)
                && Files.exists(dir.resolve("rotated-only.truststore.p12"))
                && Files.exists(dir.resolve("server2.keystore.p12"))
                && Files.getLastModifiedTime(truststore).toMillis() > System.currentTimeMillis() - 86_400_000L) {
            return certs;
        }
        Files.createDirectories(dir);
        for (Path stale : List.of(serverKeystore, clientKeystore, truststore)) {
            Files.deleteIfExists(stale);
        }
        Path serverCert = dir.resolve("server.crt");
        Path clientCert = dir.resolve("client.crt");
        CompletableFuture<Void> server = CompletableFuture.runAsync(() -> {
            genKey(serverKeystore, "broker", "CN=localhost", "SAN=dns:localhost,ip:127.0.0.1");
            exportCert(serverKeystore, "broker", serverCert);
        });
        CompletableFuture<Void> client = CompletableFuture.runAsync(() -> {
            genKey(clientKeystore, "client", CLIENT_DN, null);
            exportCert(clientKeystore, "client", clientCert);
        });
        Path rotatedCert = dir.resolve("server2.crt");
        Path rotatedKeystore = dir.resolve("server2.keystore.p12");
        Path rotatedOnly = dir.resolve("rotated-only.truststore.p12");
        Files.deleteIfExists(rotatedKeystore);
        Files.deleteIfExists(rotatedOnly);
        CompletableFuture<Void> rotated = CompletableFuture.runAsync(() -> {
            genKey(rotatedKeystore, "broker", "CN=localhost", "SAN=dns:localhost,ip:127.0.0.1");
            exportCert(rotatedKeystore, "broker", rotatedCert);
            keytool(
                    "-importcert",
                    "-noprompt",
                    "-alias",
                    "broker2",
                    "-file",
                    rotatedCert.toString(),
                    "-storetype",
                    "PKCS12",
                    "-keystore",
                    rotatedOnly.toString(),
                    "-storepass",
                    PASSWORD);
        });
        CompletableFuture.allOf(server, client, rotated).join();
        Path partial = dir.resolve("truststore.partial.p12");
        Files.deleteIfExists(partial);
        keytool(
                "-importcert",
                "-noprompt",
                "-alias",
                "broker",
                "-file",
                serverCert.toString(),
                "-storetype",
                "PKCS12",
                "-keystore",
                partial.toString(),
                "-storepass",
                PASSWORD);
        keytool(
                "-importcert",
                "-noprompt",
                "-alias",
                "client",
                "-file",
                clientCert.toString(),
                "-storetype",
                "PKCS12",
                "-keystore",
                partial.toString(),
                "-storepass",
                PASSWORD);
        keytool(
                "-importcert",
                "-noprompt",
                "-alias",
                "broker2",
                "-file",
                rotatedCert.toString(),
                "-storetype",
                "PKCS12",
                "-keystore",
                partial.toString(),
                "-storepass",
                PASSWORD);
        Files.move(partial, truststore);
        return certs;
    }

    /**
     * A second broker key pair with the same name (CN=localhost, same SANs), which the shared trust store also trusts
     * (Kafka checks that a rotated key store is trusted where the old one was), and a client trust store holding only
     * it: what an operator rotates a listener's key store to.
     */
    Rotated rotated() {
        Path dir = serverKeystore.getParent();
        return new Rotated(dir.resolve("server2.keystore.p12"), dir.resolve("rotated-only.truststore.p12"));
    }

    /** The rotated key store and a trust store that trusts nothing else. */
    record Rotated(Path keystore, Path onlyItsCertificate) {}

    private static void genKey(Path keystore, String alias, String dn, String san) {
        List<String> args = new ArrayList<>(List.of(
                "-genkeypair",
                "-alias",
                alias,
                "-keyalg",
                "EC",
                "-groupname",
                "secp256r1",
                "-dname",
                dn,
                "-validity",
                "3",
                "-storetype",
                "PKCS12",
                "-keystore",
                keystore.toString(),
                "-storepass",
                PASSWORD,
                "-keypass",
                PASSWORD));
        if (san != null) {
            args.addAll(List.of("-ext", san));
        }
        keytool(args.toArray(String[]::new));
    }

    private static void exportCert(Path keystore, String alias, Path cert) {
        keytool(
                "-exportcert",
                "-rfc",
                "-alias",
                alias,
                "-keystore",
                keystore.toString(),
                "-storepass",
                PASSWORD,
                "-file",
                cert.toString());
    }

    private static void keytool(String... args) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        command.add("-J-XX:TieredStopAtLevel=1");
        command.addAll(List.of(args));
        try {
            Process process =
                    new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IOException("keytool " + String.join(" ", args) + " failed: " + output);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
