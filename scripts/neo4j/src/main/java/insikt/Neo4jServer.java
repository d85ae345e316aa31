package insikt;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

import org.neo4j.configuration.GraphDatabaseSettings;
import org.neo4j.configuration.connectors.BoltConnector;
import org.neo4j.configuration.connectors.BoltConnectorInternalSettings;
import org.neo4j.configuration.connectors.HttpConnector;
import org.neo4j.configuration.connectors.HttpsConnector;
import org.neo4j.configuration.helpers.SocketAddress;
import org.neo4j.dbms.api.DatabaseManagementService;
import org.neo4j.dbms.api.DatabaseManagementServiceBuilder;
import org.neo4j.graphdb.GraphDatabaseService;
import org.neo4j.io.ByteUnit;

/**
 * Local Neo4j Community (embedded DBMS) with a Bolt connector, for development and CI.
 *
 * <p>Configuration (environment):
 * <ul>
 *   <li>{@code INSIKT_NEO4J_HOME} (or first argument): run directory; data/ and logs/ live
 *       below it. Default: {@code run} relative to the working directory (neo4j.sh passes an
 *       absolute path).</li>
 *   <li>{@code INSIKT_NEO4J_PORT}: Bolt port on 127.0.0.1, default 7687.</li>
 *   <li>{@code INSIKT_NEO4J_PAGECACHE}: page cache size, default 256m.</li>
 *   <li>{@code INSIKT_NEO4J_SECURITY_CONF}: the server-side walls of the Cypher console
 *       (security.conf: LOAD CSV without file URLs or addresses, an empty import directory, a
 *       procedure allow-list, transaction time and memory limits); required. neo4j.sh passes
 *       scripts/neo4j/security.conf.</li>
 *   <li>{@code INSIKT_NEO4J_TX_TIMEOUT}, {@code INSIKT_NEO4J_TX_MEMORY}: override
 *       db.transaction.timeout and db.memory.transaction.max from that file.</li>
 *   <li>{@code NEO4J_PASSWORD}: initial password of user neo4j, set only while the user still
 *       has the factory password (fresh store). Default: insikt-dev-password. Never printed.</li>
 * </ul>
 *
 * <p>Writes {@code <home>/neo4j.pid} at start and {@code <home>/ready} once Bolt serves the
 * neo4j database; both are removed on shutdown (SIGTERM runs the shutdown hook).
 */
public final class Neo4jServer {
    static final String READY_LINE = "INSIKT_NEO4J_READY";
    private static final String DEFAULT_PASSWORD = "insikt-dev-password";
    private static final String USER = "neo4j";
    private static final String DATABASE = GraphDatabaseSettings.DEFAULT_DATABASE_NAME; // "neo4j"
    private static final long AVAILABLE_TIMEOUT_MS = Duration.ofMinutes(3).toMillis();

    private Neo4jServer() {}

    /** The DBMS currently running (bootstrap or main), for the shutdown hook. */
    private static volatile DatabaseManagementService current;

    public static void main(String[] args) throws Exception {
        Path home = Path.of(args.length > 0 ? args[0] : env("INSIKT_NEO4J_HOME", "run"))
                .toAbsolutePath().normalize();
        Files.createDirectories(home);
        Path pidFile = home.resolve("neo4j.pid");
        Path readyFile = home.resolve("ready");
        Files.deleteIfExists(readyFile);
        writeAtomically(pidFile, ProcessHandle.current().pid() + "\n");

        // SIGTERM/SIGINT run this hook: stop whichever DBMS is up, cleanly.
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            log("shutting down");
            try {
                Files.deleteIfExists(readyFile);
                DatabaseManagementService dbms = current;
                if (dbms != null) {
                    dbms.shutdown();
                }
                Files.deleteIfExists(pidFile);
            } catch (Throwable t) {
                log("error during shutdown: " + rootMessage(t));
            } finally {
                stopped.countDown();
            }
            log("stopped");
        }, "insikt-neo4j-shutdown"));

        try {
            run(home, readyFile);
        } catch (Throwable t) {
            log("FAILED: " + rootMessage(t));
            System.exit(1); // the hook shuts a half-started DBMS down
        }
        stopped.await();
    }

    private static void run(Path home, Path readyFile) throws IOException {
        int port = Integer.parseInt(env("INSIKT_NEO4J_PORT", "7687"));
        long pageCache = ByteUnit.parse(env("INSIKT_NEO4J_PAGECACHE", "256m"));
        String password = env("NEO4J_PASSWORD", DEFAULT_PASSWORD);
        long t0 = System.nanoTime();
        log("starting home=" + home + " bolt=127.0.0.1:" + port + " pagecache="
                + pageCache / ByteUnit.mebiBytes(1) + "m");

        Path marker = home.resolve("data").resolve(".insikt-initial-password");
        if (!Files.exists(marker)) {
            // First start of this store: set the password with Bolt disabled, so the
            // factory credentials (neo4j/neo4j) are never reachable over the network.
            current = builder(home, port, pageCache, false).build();
            try {
                awaitAvailable(current, GraphDatabaseSettings.SYSTEM_DATABASE_NAME);
                setInitialPassword(current, password);
            } finally {
                DatabaseManagementService boot = current;
                current = null;
                boot.shutdown();
            }
            writeAtomically(marker, "initial password of user " + USER + " was set from NEO4J_PASSWORD (or the default)\n");
            log("initial password set for user " + USER + " (store bootstrap)");
        }

        current = builder(home, port, pageCache, true).build();
        GraphDatabaseService db = awaitAvailable(current, DATABASE);
        String version = db.executeTransactionally(
                "CALL dbms.components() YIELD name, versions, edition "
                        + "RETURN name + ' ' + versions[0] + ' ' + edition AS v",
                Map.of(), r -> r.hasNext() ? String.valueOf(r.next().get("v")) : "?");

        String uri = "bolt://127.0.0.1:" + port;
        writeAtomically(readyFile, uri + "\n");
        log(READY_LINE + " " + uri + " database=" + DATABASE + " (" + version + ") in "
                + (System.nanoTime() - t0) / 1_000_000 + " ms");
    }

    private static DatabaseManagementServiceBuilder builder(Path home, int port, long pageCache, boolean bolt)
            throws IOException {
        SocketAddress loopback = new SocketAddress("127.0.0.1");
        DatabaseManagementServiceBuilder b = new DatabaseManagementServiceBuilder(home);
        b.setConfig(GraphDatabaseSettings.default_listen_address, loopback)
                .setConfig(GraphDatabaseSettings.default_advertised_address, loopback)
                .setConfig(BoltConnector.enabled, bolt)
                .setConfig(BoltConnector.listen_address, new SocketAddress("127.0.0.1", port))
                .setConfig(BoltConnector.advertised_address, new SocketAddress("127.0.0.1", port))
                .setConfig(HttpConnector.enabled, false)
                .setConfig(HttpsConnector.enabled, false)
                .setConfig(GraphDatabaseSettings.auth_enabled, true)
                .setConfig(GraphDatabaseSettings.pagecache_memory, pageCache)
                .setConfig(GraphDatabaseSettings.initial_default_database, DATABASE)
                .setConfig(GraphDatabaseSettings.udc_enabled, false) // no usage reports to neo4j.com
                // Bolt waits 5 s + 5 s for idle pools/connections on shutdown by default;
                // a dev/CI server should stop promptly.
                .setConfig(BoltConnectorInternalSettings.thread_pool_shutdown_wait_time, Duration.ofMillis(500))
                .setConfig(BoltConnectorInternalSettings.connection_shutdown_wait_time, Duration.ofMillis(500));
        applySecurity(b, home);
        return b;
    }

    /**
     * The server-side walls behind the ad-hoc Cypher console: security.conf (by public
     * setting names, so strict config validation rejects a misspelt one), then the
     * environment's limits. A missing file stops the start rather than run without them.
     */
    private static void applySecurity(DatabaseManagementServiceBuilder b, Path home) throws IOException {
        Path conf = Path.of(env("INSIKT_NEO4J_SECURITY_CONF", "security.conf")).toAbsolutePath();
        if (!Files.isRegularFile(conf)) {
            throw new IllegalStateException("security settings file not found: " + conf);
        }
        Files.createDirectories(home.resolve("import-empty"));
        b.loadPropertiesFromFile(conf);
        String timeout = System.getenv("INSIKT_NEO4J_TX_TIMEOUT");
        if (timeout != null && !timeout.isBlank()) {
            b.setConfig(GraphDatabaseSettings.transaction_timeout,
                    org.neo4j.configuration.SettingValueParsers.DURATION.parse(timeout));
        }
        String memory = System.getenv("INSIKT_NEO4J_TX_MEMORY");
        if (memory != null && !memory.isBlank()) {
            b.setConfig(GraphDatabaseSettings.memory_transaction_max_size, ByteUnit.parse(memory));
        }
    }

    private static GraphDatabaseService awaitAvailable(DatabaseManagementService dbms, String name) {
        GraphDatabaseService db = dbms.database(name);
        if (!db.isAvailable(AVAILABLE_TIMEOUT_MS)) {
            throw new IllegalStateException("database '" + name + "' not available after " + AVAILABLE_TIMEOUT_MS + " ms");
        }
        return db;
    }

    private static void setInitialPassword(DatabaseManagementService dbms, String password) {
        GraphDatabaseService system = dbms.database(GraphDatabaseSettings.SYSTEM_DATABASE_NAME);
        boolean factoryPassword = system.executeTransactionally(
                "SHOW USERS YIELD user, passwordChangeRequired WHERE user = $user RETURN passwordChangeRequired",
                Map.of("user", USER),
                r -> r.hasNext() && Boolean.TRUE.equals(r.next().get("passwordChangeRequired")));
        if (!factoryPassword) {
            log("user " + USER + " already has a password; leaving it unchanged");
            return;
        }
        try {
            system.executeTransactionally(
                    "ALTER USER " + USER + " SET PASSWORD $pw CHANGE NOT REQUIRED", Map.of("pw", password));
        } catch (RuntimeException e) {
            // Never echo the password, even if a message happened to contain it.
            throw new IllegalStateException("could not set initial password of user " + USER + ": "
                    + rootMessage(e).replace(password, "***"));
        }
    }

    private static void writeAtomically(Path file, String content) throws IOException {
        Files.createDirectories(file.getParent());
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.writeString(tmp, content, StandardCharsets.UTF_8);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private static String env(String name, String dflt) {
        String v = System.getenv(name);
        return v == null || v.isBlank() ? dflt : v;
    }

    private static String rootMessage(Throwable t) {
        Throwable c = t;
        while (c.getCause() != null && c.getCause() != c) {
            c = c.getCause();
        }
        return t == c ? String.valueOf(t) : t + " (cause: " + c + ")";
    }

    private static void log(String msg) {
        System.out.println(java.time.Instant.now() + " [insikt-neo4j] " + msg);
        System.out.flush();
    }
}
