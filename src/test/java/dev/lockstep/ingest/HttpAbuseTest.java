package dev.lockstep.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.mongodb.client.MongoDatabase;
import dev.lockstep.fault.PausedHolderFault;
import dev.lockstep.mode.LockstepPipeline;
import dev.lockstep.order.LineItem;
import dev.lockstep.order.OrderEvent;
import dev.lockstep.order.Topic;
import dev.lockstep.queue.Keys;
import dev.lockstep.queue.LaneQueue;
import dev.lockstep.queue.QueueStats;
import dev.lockstep.store.EventJournal;
import dev.lockstep.store.FencedOrderStore;
import dev.lockstep.testing.TestServers;
import dev.lockstep.worker.WorkerSettings;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.math.BigInteger;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Issue 11's fault scenario 9, "HTTP abuse" (docs/RELIABILITY.md): hostile and broken requests against a
 * real {@link WebhookServer} in front of a real lockstep queue on the tests' Redis. Every abusive request
 * is answered 4xx with a JSON error body (never 5xx), enqueues nothing (the queue's counters and lanes
 * and the pipeline's accepted count are unchanged), writes nothing (no worker runs: the store stays
 * empty), and the server then still answers a valid signed webhook 200. Signed bodies are signed with
 * the server's secret so the abuse gets past the HMAC check to the parser.
 */
@Tag("fault")
class HttpAbuseTest {
    private static final String SECRET = "abuse-secret";
    private static final String SHOP = "abuse.myshopify.com";
    /** The packaged {@code http.max.body.bytes}. */
    private static final int MAX_BODY = 1_048_576;
    /** Short so the slow-body cases fit the class's budget; the packaged default is longer. */
    private static final Duration READ_TIMEOUT = Duration.ofSeconds(2);
    private static final Duration IDLE_TIMEOUT = Duration.ofSeconds(20);
    /** Few on purpose: slow senders must not be able to occupy them. */
    private static final int WORKER_THREADS = 4;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final WebhookSignature SIGNATURE = new WebhookSignature(SECRET);

    private static LaneQueue queue;
    private static MongoDatabase database;
    private static LockstepPipeline pipeline;
    private static WebhookServer server;
    private static final AtomicInteger nextOrder = new AtomicInteger(1);

    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private QueueStats statsBefore;
    private long acceptedBefore;

    @BeforeAll
    static void startServer() {
        TestServers servers = TestServers.get();
        queue = new LaneQueue(servers.redis(), new Keys(TestServers.uniqueName("abuse"), 4), Duration.ofSeconds(10),
                Duration.ofHours(1));
        database = servers.mongo().getDatabase(TestServers.uniqueName("abuse"));
        // Never started: no worker runs, so anything reaching the store would have had to come from the ingest.
        pipeline = new LockstepPipeline(servers.redis(), queue, new FencedOrderStore(database), EventJournal.DISABLED,
                PausedHolderFault.NONE, WorkerSettings.defaults().withThreads(1).withWorkerId("abuse"));
        server = WebhookServer.start(new IngestSettings("127.0.0.1", 0, MAX_BODY, SECRET)
                        .withWorkerThreads(WORKER_THREADS).withTimeouts(READ_TIMEOUT, IDLE_TIMEOUT),
                pipeline, HealthProbe.ALWAYS_UP);
    }

    @AfterAll
    static void stopServer() {
        if (server != null) {
            server.close();
        }
        if (pipeline != null) {
            pipeline.close();
        }
    }

    @BeforeEach
    void recordBefore() {
        statsBefore = queue.stats();
        acceptedBefore = pipeline.counters().snapshot().accepted();
    }

    /** After every case: nothing enqueued, nothing written, and the server still serves a valid webhook. */
    @AfterEach
    void nothingChangedAndStillServing() throws Exception {
        assertThat(queue.stats()).as("nothing enqueued: queue counters and lanes unchanged").isEqualTo(statsBefore);
        assertThat(pipeline.counters().snapshot().accepted()).as("nothing accepted").isEqualTo(acceptedBefore);
        for (String collection : database.listCollectionNames()) {
            assertThat(database.getCollection(collection).countDocuments()).as("nothing written to " + collection)
                    .isZero();
        }
        long started = System.nanoTime();
        HttpResponse<String> ok = postSigned(validBody());
        assertThat(ok.statusCode()).as(ok.body()).isEqualTo(200);
        assertThat(Duration.ofNanos(System.nanoTime() - started)).as("answered promptly")
                .isLessThan(Duration.ofSeconds(2));
        assertThat(queue.stats().enqueued()).isEqualTo(statsBefore.enqueued() + 1);
    }

    // ---- malformed bodies -----------------------------------------------------------------------------

    @Test
    void randomBytesAreRefused() throws Exception {
        for (int seed = 0; seed < 300; seed++) {
            Random random = new Random(seed);
            byte[] body = new byte[random.nextInt(2048)];
            random.nextBytes(body);
            assertClientError(postSigned(body), "seed " + seed);
        }
    }

    @Test
    void everyTruncationOfAValidBodyIsRefused() throws Exception {
        byte[] valid = validBody();
        for (int cut = 0; cut < valid.length; cut++) {
            assertClientError(postSigned(Arrays.copyOf(valid, cut)), "cut at " + cut);
        }
    }

    @Test
    void deeplyNestedJsonIsRefusedWithinBoundedMemory() throws Exception {
        long heapBefore = heapUsedAfterGc();
        List<byte[]> bodies = List.of(
                "[".repeat(100_000).getBytes(StandardCharsets.US_ASCII),
                ("[".repeat(100_000) + "]".repeat(100_000)).getBytes(StandardCharsets.US_ASCII),
                "{\"a\":".repeat(100_000).getBytes(StandardCharsets.US_ASCII),
                ("{\"id\":1,\"x\":" + "[".repeat(50_000) + "]".repeat(50_000) + "}").getBytes(StandardCharsets.US_ASCII));
        for (byte[] body : bodies) {
            HttpResponse<String> answer = postSigned(body);
            assertClientError(answer, "nested " + body.length + " bytes");
            assertThat(answer.body()).contains("nesting depth");
        }
        assertHeapBounded(heapBefore);
    }

    @Test
    void wrongTypesOfEachFieldAreRefused() throws Exception {
        Map<String, Consumer<ObjectNode>> cases = new LinkedHashMap<>();
        cases.put("id as a string", o -> o.put("id", "41"));
        cases.put("id as an object", o -> o.putObject("id").put("n", 41));
        cases.put("id as an array", o -> o.putArray("id").add(41));
        cases.put("id negative", o -> o.put("id", -41));
        cases.put("id zero", o -> o.put("id", 0));
        cases.put("id fractional", o -> o.put("id", 41.5));
        cases.put("id null", o -> o.putNull("id"));
        cases.put("id boolean", o -> o.put("id", true));
        cases.put("line_items an object", o -> o.putObject("line_items").put("sku", "A"));
        cases.put("line_items a string", o -> o.put("line_items", "A x1"));
        cases.put("line_items null", o -> o.putNull("line_items"));
        cases.put("line_items empty", o -> o.putArray("line_items"));
        cases.put("line item a number", o -> o.putArray("line_items").add(1));
        cases.put("quantity huge", o -> item(o).put("quantity", 10_000_000_000L));
        cases.put("quantity negative", o -> item(o).put("quantity", -1));
        cases.put("quantity fractional", o -> item(o).put("quantity", 1.5));
        cases.put("quantity a string", o -> item(o).put("quantity", "2"));
        cases.put("sku a number", o -> item(o).put("sku", 7));
        cases.put("sku blank", o -> item(o).put("sku", "  "));
        cases.put("updated_at garbage", o -> o.put("updated_at", "yesterday-ish"));
        cases.put("updated_at a number", o -> o.put("updated_at", 1_714_557_600_000L));
        cases.put("updated_at without offset", o -> o.put("updated_at", "2024-05-01T10:00:00"));
        cases.put("updated_at February 30", o -> o.put("updated_at", "2024-02-30T10:00:00Z"));
        cases.put("financial_status a number", o -> o.put("financial_status", 3));
        cases.put("body an array", o -> { });
        for (Map.Entry<String, Consumer<ObjectNode>> c : cases.entrySet()) {
            byte[] body;
            if (c.getKey().equals("body an array")) {
                body = ("[" + new String(validBody(), StandardCharsets.UTF_8) + "]").getBytes(StandardCharsets.UTF_8);
            } else {
                ObjectNode order = validOrder();
                c.getValue().accept(order);
                body = JSON.writeValueAsBytes(order);
            }
            assertClientError(postSigned(body), c.getKey());
        }
    }

    @Test
    void hugeNumbersAreRefused() throws Exception {
        String twoTo70 = BigInteger.TWO.pow(70).toString();
        String thousandsOfDigits = "9".repeat(5_000);
        Map<String, String> cases = new LinkedHashMap<>();
        cases.put("id 1e400", "1e400");
        cases.put("id -1e400", "-1e400");
        cases.put("id 2^70", twoTo70);
        cases.put("id 5000 digits", thousandsOfDigits);
        cases.put("id 1e-400", "1e-400");
        cases.put("id 1e18 as a float", "1.0e18");
        for (Map.Entry<String, String> c : cases.entrySet()) {
            String valid = new String(validBody(), StandardCharsets.UTF_8);
            assertThat(valid).containsPattern("^\\{\"id\":\\d+,");
            byte[] hugeId = valid.replaceFirst("^\\{\"id\":\\d+,", "{\"id\":" + c.getValue() + ",")
                    .getBytes(StandardCharsets.UTF_8);
            assertClientError(postSigned(hugeId), c.getKey());
            assertClientError(postSigned(withRaw("\"quantity\":2", "\"quantity\":" + c.getValue())),
                    "quantity " + c.getKey().substring(3));
        }
    }

    @Test
    void oddUnicodeInStringsIsRefused() throws Exception {
        Map<String, byte[]> cases = new LinkedHashMap<>();
        cases.put("lone high surrogate", withRaw("\"sku\":\"A\"", "\"sku\":\"A\\ud800\""));
        cases.put("lone low surrogate", withRaw("\"sku\":\"A\"", "\"sku\":\"\\udc00A\""));
        cases.put("surrogates reversed", withRaw("\"sku\":\"A\"", "\"sku\":\"\\udc00\\ud800\""));
        cases.put("zero-width space", withRaw("\"sku\":\"A\"", "\"sku\":\"A\\u200b\""));
        cases.put("right-to-left override", withRaw("\"sku\":\"A\"", "\"sku\":\"\\u202eA\""));
        cases.put("byte order mark inside", withRaw("\"sku\":\"A\"", "\"sku\":\"\\ufeffA\""));
        cases.put("escaped NUL", withRaw("\"sku\":\"A\"", "\"sku\":\"A\\u0000\""));
        cases.put("escaped NUL in a status", withRaw("\"financial_status\":\"pending\"",
                "\"financial_status\":\"pend\\u0000ing\""));
        cases.put("raw NUL byte", withRaw("\"sku\":\"A\"", "\"sku\":\"A\u0000\""));
        cases.put("zero-width in the shop status", withRaw("\"financial_status\":\"pending\"",
                "\"financial_status\":\"pa\u200did\""));
        cases.put("overlong '/' (C0 AF)", withBytes("\"sku\":\"A\"", new byte[] {'"', 's', 'k', 'u', '"', ':', '"',
                'A', (byte) 0xC0, (byte) 0xAF, '"'}));
        cases.put("overlong NUL (C0 80)", withBytes("\"sku\":\"A\"", new byte[] {'"', 's', 'k', 'u', '"', ':', '"',
                'A', (byte) 0xC0, (byte) 0x80, '"'}));
        cases.put("overlong 3-byte (E0 80 AF)", withBytes("\"sku\":\"A\"", new byte[] {'"', 's', 'k', 'u', '"', ':',
                '"', 'A', (byte) 0xE0, (byte) 0x80, (byte) 0xAF, '"'}));
        cases.put("encoded surrogate (ED A0 80)", withBytes("\"sku\":\"A\"", new byte[] {'"', 's', 'k', 'u', '"', ':',
                '"', 'A', (byte) 0xED, (byte) 0xA0, (byte) 0x80, '"'}));
        cases.put("past U+10FFFF (F4 90 80 80)", withBytes("\"sku\":\"A\"", new byte[] {'"', 's', 'k', 'u', '"', ':',
                '"', 'A', (byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80, '"'}));
        for (Map.Entry<String, byte[]> c : cases.entrySet()) {
            assertClientError(postSigned(c.getValue()), c.getKey());
        }
    }

    // ---- size and time ----------------------------------------------------------------------------------

    @Test
    void tenMegabyteBodyIs413AndTheConnectionIsNotKeptReading() throws Exception {
        long heapBefore = heapUsedAfterGc();
        int tenMb = 10 * 1024 * 1024;
        byte[] chunk = new byte[64 * 1024];
        Arrays.fill(chunk, (byte) ' ');
        try (Socket socket = rawSocket()) {
            OutputStream out = socket.getOutputStream();
            out.write(head(tenMb, "Content-Length: " + tenMb));
            long written = 0;
            try {
                while (written < tenMb) {
                    out.write(chunk);
                    written += chunk.length;
                }
            } catch (SocketException closedByServer) {
                // the expected end once the server stops reading
            }
            RawAnswer answer = readAnswer(socket);
            assertThat(answer.status()).isEqualTo(413);
            assertJsonError(answer.body(), "body larger than " + MAX_BODY + " bytes");
            assertThat(answer.closed()).as("the server closes the connection instead of reading 10 MB").isTrue();
        }
        // The same size with no length known up front (chunked): refused once past the limit. The client may
        // see the connection closed while it still writes instead; at least one answer must get through.
        int answered413 = 0;
        for (int i = 0; i < 3; i++) {
            HttpRequest chunked = HttpRequest.newBuilder(ordersUrl())
                    .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.InputStream() {
                        private long left = tenMb;

                        @Override
                        public int read() {
                            return left-- > 0 ? ' ' : -1;
                        }
                    }))
                    .header("Content-Type", "application/json")
                    .build();
            HttpResponse<String> answer;
            try {
                answer = client.send(chunked, HttpResponse.BodyHandlers.ofString());
            } catch (IOException resetWhileWriting) {
                continue;
            }
            assertThat(answer.statusCode()).as(answer.body()).isEqualTo(413);
            assertJsonError(answer.body(), "body larger than " + MAX_BODY + " bytes");
            answered413++;
        }
        assertThat(answered413).as("chunked 10 MB bodies answered 413").isPositive();
        assertHeapBounded(heapBefore);
    }

    @Test
    void aBodySentSlowlyPastTheReadTimeoutIsCutOffWithoutHoldingWorkers() throws Exception {
        // More slow senders than worker threads: were a worker tied up per slow body, the check after this
        // case (a valid webhook answered promptly) would wait.
        int senders = WORKER_THREADS * 2;
        List<Socket> sockets = new ArrayList<>();
        try {
            for (int i = 0; i < senders; i++) {
                Socket s = rawSocket();
                s.getOutputStream().write(head(1000, "Content-Length: 1000"));
                s.getOutputStream().write('{');
                sockets.add(s);
            }
            long started = System.nanoTime();
            // A few bytes per second until the server gives up, for at most three read timeouts.
            boolean[] cut = new boolean[senders];
            int remaining = senders;
            long deadline = started + READ_TIMEOUT.multipliedBy(3).toNanos();
            while (remaining > 0 && System.nanoTime() < deadline) {
                for (int i = 0; i < senders; i++) {
                    if (cut[i]) {
                        continue;
                    }
                    try {
                        sockets.get(i).getOutputStream().write(' ');
                        sockets.get(i).getOutputStream().flush();
                    } catch (SocketException e) {
                        cut[i] = true;
                        remaining--;
                        continue;
                    }
                    if (sockets.get(i).getInputStream().available() > 0) {
                        cut[i] = true;
                        remaining--;
                    }
                }
                Thread.sleep(250); // the sender's pace (a few bytes per second), not synchronisation
            }
            Duration took = Duration.ofNanos(System.nanoTime() - started);
            for (int i = 0; i < senders; i++) {
                RawAnswer answer = readAnswer(sockets.get(i));
                assertThat(answer.status()).as("slow sender " + i).isEqualTo(408);
                assertJsonError(answer.body(), "body not received within " + READ_TIMEOUT.toMillis() + " ms");
                assertThat(answer.closed()).as("slow sender " + i + "'s connection closed").isTrue();
            }
            assertThat(took).as("cut off near the read timeout").isLessThan(READ_TIMEOUT.multipliedBy(2));
        } finally {
            for (Socket s : sockets) {
                s.close();
            }
        }
    }

    @Test
    void headersSentSlowlyPastTheReadTimeoutAreCutOff() throws Exception {
        try (Socket socket = rawSocket()) {
            byte[] head = head(10, "Content-Length: 10");
            long started = System.nanoTime();
            boolean closed = false;
            for (int i = 0; i < head.length && !closed; i++) {
                try {
                    socket.getOutputStream().write(head[i]);
                    socket.getOutputStream().flush();
                } catch (SocketException e) {
                    closed = true;
                }
                if (socket.getInputStream().available() > 0 || Duration.ofNanos(System.nanoTime() - started)
                        .compareTo(READ_TIMEOUT.multipliedBy(3)) > 0) {
                    break;
                }
                Thread.sleep(250); // the sender's pace, not synchronisation
            }
            RawAnswer answer = readAnswer(socket);
            assertThat(answer.closed()).as("a request whose head trickles in is cut off").isTrue();
            assertThat(answer.status()).isIn(408, 400, -1);
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(READ_TIMEOUT.multipliedBy(2));
        }
    }

    @Test
    void fiveHundredIdleConnectionsDoNotStopAValidWebhook() throws Exception {
        List<Socket> idle = new ArrayList<>();
        try {
            for (int i = 0; i < 500; i++) {
                Socket s = rawSocket();
                if (i % 2 == 1) {
                    // half of them with a request head begun and never finished
                    s.getOutputStream().write("POST /webhooks/orders HTTP/1.1\r\nHost: x\r\n".getBytes(StandardCharsets.US_ASCII));
                }
                idle.add(s);
            }
            // the valid webhook answered 200 promptly is checked after the case, with all 500 still open
            long started = System.nanoTime();
            HttpResponse<String> health = client.send(HttpRequest.newBuilder(server.baseUrl().resolve("/health"))
                    .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(health.statusCode()).isEqualTo(200);
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(2));
            nothingChangedAndStillServing();
            statsBefore = queue.stats();
            acceptedBefore = pipeline.counters().snapshot().accepted();
        } finally {
            for (Socket s : idle) {
                s.close();
            }
        }
    }

    // ---- helpers ---------------------------------------------------------------------------------------

    private static ObjectNode validOrder() throws IOException {
        OrderEvent event = new OrderEvent(SHOP, Topic.CREATE, nextOrder.getAndIncrement(), "ev", "wh", 1_714_557_600_000L,
                "pending", null, List.of(new LineItem("A", 2)));
        return (ObjectNode) JSON.readTree(OrderWebhookJson.body(event));
    }

    private byte[] validBody() throws IOException {
        return JSON.writeValueAsBytes(validOrder());
    }

    private static ObjectNode item(ObjectNode order) {
        return (ObjectNode) ((ArrayNode) order.get("line_items")).get(0);
    }

    /** A valid body with one piece of its compact JSON text replaced. */
    private byte[] withRaw(String piece, String replacement) throws IOException {
        String text = new String(validBody(), StandardCharsets.UTF_8);
        assertThat(text).contains(piece);
        return text.replace(piece, replacement).getBytes(StandardCharsets.UTF_8);
    }

    /** A valid body with one piece of its JSON text replaced by raw bytes (not necessarily UTF-8). */
    private byte[] withBytes(String piece, byte[] replacement) throws IOException {
        String text = new String(validBody(), StandardCharsets.UTF_8);
        int at = text.indexOf(piece);
        assertThat(at).isNotNegative();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(text.substring(0, at).getBytes(StandardCharsets.UTF_8));
        out.writeBytes(replacement);
        out.writeBytes(text.substring(at + piece.length()).getBytes(StandardCharsets.UTF_8));
        return out.toByteArray();
    }

    private static Map<String, String> signedHeaders(byte[] body) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", "application/json");
        headers.put(WebhookHeaders.TOPIC, Topic.CREATE.wire());
        headers.put(WebhookHeaders.HMAC_SHA256, SIGNATURE.sign(body));
        headers.put(WebhookHeaders.SHOP_DOMAIN, SHOP);
        headers.put(WebhookHeaders.EVENT_ID, "ev-" + nextOrder.getAndIncrement());
        return headers;
    }

    private URI ordersUrl() {
        return server.baseUrl().resolve(WebhookServer.ORDERS_PATH);
    }

    private HttpResponse<String> postSigned(byte[] body) throws Exception {
        return post(body, signedHeaders(body));
    }

    private HttpResponse<String> post(byte[] body, Map<String, String> headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(ordersUrl()).timeout(Duration.ofSeconds(10))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        headers.forEach(request::header);
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static void assertClientError(HttpResponse<String> answer, String what) throws IOException {
        assertThat(answer.statusCode()).as(what + ": " + answer.body()).isBetween(400, 499);
        assertThat(answer.headers().firstValue("Content-Type")).as(what).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/json"));
        assertJsonError(answer.body(), null);
    }

    /** {@code {"error":"..."}}, with that reason when one is given. */
    private static void assertJsonError(String body, String reason) throws IOException {
        JsonNode error = JSON.readTree(body);
        assertThat(error.path("error").isTextual()).as(body).isTrue();
        if (reason != null) {
            assertThat(error.path("error").textValue()).isEqualTo(reason);
        }
    }

    private static Socket rawSocket() throws IOException {
        Socket socket = new Socket();
        socket.connect(new InetSocketAddress("127.0.0.1", server.port()), 5_000);
        socket.setSoTimeout(10_000);
        return socket;
    }

    /** A signed-looking POST head (the signature cannot matter: these bodies are never completed or too big). */
    private static byte[] head(long length, String lengthHeader) {
        return ("POST " + WebhookServer.ORDERS_PATH + " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                + "Content-Type: application/json\r\n" + WebhookHeaders.TOPIC + ": orders/create\r\n"
                + WebhookHeaders.SHOP_DOMAIN + ": " + SHOP + "\r\n" + WebhookHeaders.HMAC_SHA256 + ": x\r\n"
                + lengthHeader + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
    }

    /** Status -1: the server closed without an answer. */
    private record RawAnswer(int status, String body, boolean closed) {
    }

    /** Reads one HTTP/1.1 answer, then whether the server closed the connection after it. */
    private static RawAnswer readAnswer(Socket socket) throws IOException {
        InputStream in = socket.getInputStream();
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        try {
            int b;
            while ((b = in.read()) != -1) {
                head.write(b);
                byte[] h = head.toByteArray();
                int n = h.length;
                if (n >= 4 && h[n - 4] == '\r' && h[n - 3] == '\n' && h[n - 2] == '\r' && h[n - 1] == '\n') {
                    break;
                }
            }
        } catch (SocketException reset) {
            return new RawAnswer(-1, "", true);
        }
        String text = head.toString(StandardCharsets.ISO_8859_1);
        if (text.isEmpty()) {
            return new RawAnswer(-1, "", true);
        }
        int status = Integer.parseInt(text.substring(9, 12));
        int length = 0;
        for (String line : text.split("\r\n")) {
            if (line.toLowerCase(java.util.Locale.ROOT).startsWith("content-length:")) {
                length = Integer.parseInt(line.substring(15).trim());
            }
        }
        String body = new String(in.readNBytes(length), StandardCharsets.UTF_8);
        boolean closed;
        try {
            closed = in.read() == -1;
        } catch (SocketTimeoutException stillOpen) {
            closed = false;
        } catch (SocketException reset) {
            closed = true;
        }
        return new RawAnswer(status, body, closed);
    }

    private static long heapUsedAfterGc() {
        System.gc();
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    /**
     * Heap kept after the case, once collected, within two bodies at the limit plus 16 MB of slack for
     * the JIT, logging and the client: a server that buffered the 10 MB bodies (or a tree of 100,000
     * levels) would keep far more while its connections or parse state lingered.
     */
    private static void assertHeapBounded(long before) {
        long bound = 2L * MAX_BODY + 16L * 1024 * 1024;
        assertThat(heapUsedAfterGc() - before).as("heap growth, bytes").isLessThan(bound);
    }
}
