package dev.lockstep.console.backend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.read.ListAppender;
import dev.lockstep.config.LockstepConfig;
import dev.lockstep.console.live.ConsoleSnapshot;
import dev.lockstep.console.view.StatusBar;
import dev.lockstep.ingest.OrderWebhookJson;
import dev.lockstep.ingest.WebhookHeaders;
import dev.lockstep.ingest.WebhookServer;
import dev.lockstep.ingest.WebhookSignature;
import dev.lockstep.order.LineItem;
import dev.lockstep.order.OrderEvent;
import dev.lockstep.order.Topic;
import dev.lockstep.pipeline.Mode;
import dev.lockstep.runtime.LockstepRuntime;
import dev.lockstep.testing.OwnRedisServer;
import dev.lockstep.testing.ScramMongoServer;
import dev.lockstep.testing.TestServers;
import java.awt.Component;
import java.awt.Container;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.swing.JLabel;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * A console backend (workers and ingest here) on a Redis with an ACL password, a MongoDB that requires
 * credentials (SCRAM, {@link ScramMongoServer}) and a secret HMAC key: nothing it logs (at debug too) or
 * renders — start-up steps, the status bar's endpoints, {@code /health}, refused and accepted webhooks,
 * operator actions, a timeline — shows any of the three secrets.
 */
class SecretsNeverShownTest {
    private static final String REDIS_PASSWORD = "Redis-pw-7f3a9c";
    private static final String HMAC_SECRET = "hmac-secret-2b8e41";
    private static final String MONGO_PASSWORD = "Mongo-pw-5d1c07";
    private static final HttpClient CLIENT = HttpClient.newHttpClient();

    @Test
    void noLogLineAndNoRenderedStringShowsAPasswordOrTheHmacSecret() throws Exception {
        assumeTrue(OwnRedisServer.available(), "needs " + OwnRedisServer.BINARY);
        List<String> rendered = new ArrayList<>();
        ListAppender<ILoggingEvent> lines = new ListAppender<>();
        ch.qos.logback.classic.Logger root =
                (ch.qos.logback.classic.Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        ch.qos.logback.classic.Logger ours = (ch.qos.logback.classic.Logger) LoggerFactory.getLogger("dev.lockstep");
        Level before = ours.getLevel();
        lines.start();
        root.addAppender(lines);
        ours.setLevel(Level.DEBUG);
        try (OwnRedisServer redis = OwnRedisServer.start("--user", "lockstep", "on", ">" + REDIS_PASSWORD, "~*", "&*",
                "+@all", "--user", "default", "off");
             ScramMongoServer mongo = new ScramMongoServer("lockstep", MONGO_PASSWORD)) {
            LockstepConfig config = TestServers.get().config(Map.of(
                    "redis.uri", "redis://lockstep:" + REDIS_PASSWORD + "@127.0.0.1:" + redis.port(),
                    "mongo.uri", mongo.uri("lockstep", MONGO_PASSWORD),
                    "hmac.secret", HMAC_SECRET, "http.bind", "0.0.0.0"));
            rendered.add(config.toString());
            try (LiveConsoleBackend console = new LiveConsoleBackend(LockstepRuntime.start(config, rendered::add), true,
                    rendered::add)) {
                EnvironmentInfo env = console.environment();
                assertThat(env.redisEndpoint()).isEqualTo("redis://lockstep:***@127.0.0.1:" + redis.port());
                assertThat(env.mongoEndpoint()).contains("lockstep:***@127.0.0.1");
                rendered.add(env.toString());
                rendered.addAll(statusBarTexts(env));
                // the Workers view's start command and the fleet's heartbeats (this console is a member)
                assertThat(console.workerStartCommand()).contains("redis://lockstep:***@127.0.0.1:" + redis.port());
                rendered.add(console.workerStartCommand());
                assertThat(console.workers()).extracting(w -> w.id()).contains(console.workerId());
                console.workers().forEach(w -> rendered.add(w.toString()));

                URI base = URI.create(env.ingestUrl().replace(WebhookServer.ORDERS_PATH, ""));
                rendered.add(get(base.resolve(WebhookServer.HEALTH_PATH)));
                OrderEvent created = new OrderEvent("shop.myshopify.com", Topic.CREATE, 501, "ev-1", "wh-1", 1000,
                        "pending", null, List.of(new LineItem("A", 1)));
                rendered.add(post(base, created, new WebhookSignature(HMAC_SECRET)));
                rendered.add(post(base, created, new WebhookSignature("a-wrong-secret")));
                await().atMost(Duration.ofSeconds(30))
                        .until(() -> console.timeline(Mode.LOCKSTEP, 501).journal().size() >= 2);
                rendered.add(String.valueOf(console.release(501)));
                rendered.add(String.valueOf(console.pause(501)));
                rendered.add(String.valueOf(console.resume(501)));
                rendered.add(console.timeline(Mode.LOCKSTEP, 501).toString());
            }
        } finally {
            ours.setLevel(before);
            root.detachAppender(lines);
        }
        for (ILoggingEvent e : lines.list) {
            rendered.add(e.getFormattedMessage());
            if (e.getThrowableProxy() != null) {
                rendered.add(ThrowableProxyUtil.asString(e.getThrowableProxy()));
            }
        }
        assertThat(lines.list).as("the run was logged").isNotEmpty();
        assertThat(rendered).as("every log line and rendered string")
                .noneMatch(s -> s.contains(REDIS_PASSWORD))
                .noneMatch(s -> s.contains(MONGO_PASSWORD))
                .noneMatch(s -> s.contains(HMAC_SECRET))
                .anyMatch(s -> s.contains("lockstep:***@127.0.0.1"));
    }

    /** What the status bar writes for this environment: its labels' texts and tool tips. */
    private static List<String> statusBarTexts(EnvironmentInfo env) {
        ConsoleSnapshot empty = ConsoleSnapshot.empty();
        StatusBar bar = new StatusBar();
        bar.refresh(new ConsoleSnapshot(System.currentTimeMillis(), env, empty.queue(), empty.counters(), empty.rates(),
                empty.leases(), empty.parked(), empty.paused(), empty.holdTimes(), empty.duplicates(), empty.progress(),
                empty.runs(), empty.edt(), empty.fleet(), ""));
        List<String> out = new ArrayList<>();
        collect(bar, out);
        assertThat(out).anyMatch(s -> s.contains("Redis lockstep:***@127.0.0.1"));
        return out;
    }

    private static void collect(Container c, List<String> out) {
        for (Component child : c.getComponents()) {
            if (child instanceof JLabel l) {
                out.add(l.getText());
                out.add(String.valueOf(l.getToolTipText()));
            }
            if (child instanceof Container inner) {
                collect(inner, out);
            }
        }
    }

    private static String get(URI uri) throws Exception {
        return CLIENT.send(HttpRequest.newBuilder(uri).GET().build(), HttpResponse.BodyHandlers.ofString()).body();
    }

    private static String post(URI base, OrderEvent e, WebhookSignature signature) throws Exception {
        byte[] body = OrderWebhookJson.body(e);
        HttpRequest req = HttpRequest.newBuilder(URI.create(base + WebhookServer.ORDERS_PATH))
                .header("Content-Type", "application/json")
                .header(WebhookHeaders.TOPIC, e.topic().wire())
                .header(WebhookHeaders.HMAC_SHA256, signature.sign(body))
                .header(WebhookHeaders.SHOP_DOMAIN, e.shop())
                .header(WebhookHeaders.EVENT_ID, e.eventId())
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
        HttpResponse<String> r = CLIENT.send(req, HttpResponse.BodyHandlers.ofString());
        return r.statusCode() + " " + r.body();
    }
}
