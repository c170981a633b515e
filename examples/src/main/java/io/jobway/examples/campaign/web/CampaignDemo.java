package io.jobway.examples.campaign.web;

import io.jobway.auth.ApiKeys;
import io.jobway.auth.Scopes;
import io.jobway.local.LocalRuntime;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * {@code ./jobway example campaign [--port N]}: the local runtime, in memory, with the campaign handler on its
 * worker, and the campaign page and its backend stand-in at {@code /examples/campaign/}.
 */
public final class CampaignDemo {
    static final String PREFIX = "/examples/campaign/";

    private CampaignDemo() {
    }

    public static void main(String[] args) throws InterruptedException {
        int port = args.length == 2 && args[0].equals("--port") ? Integer.parseInt(args[1]) : 3000;
        if (args.length != 0 && args.length != 2) {
            throw new IllegalArgumentException("usage: ./jobway example campaign [--port N]");
        }
        LocalRuntime runtime = LocalRuntime.start(LocalRuntime.Options.inMemory(Path.of("template.yaml"))
                .withPorts(port, port + 1).withParameters(Map.of("JobTypes", "echo,sleep,fail,http,campaign")));
        String key = new ApiKeys().generate(); // the app backend's own key; the page never sees it
        runtime.registerKey(key, "shop", Scopes.ALL);
        runtime.serve(PREFIX, new CampaignBackend(runtime.baseUrl(), runtime.webSocketUrl().orElseThrow(), key));
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            runtime.close();
            stopped.countDown();
        }));
        System.out.printf("%nThe campaign example is running: open %s%s%n  (its backend's API key, tenant 'shop': %s;"
                + " the dashboard at %s/ signs in with it)%nCtrl-C stops it.%n", runtime.baseUrl(), PREFIX, key,
                runtime.baseUrl());
        stopped.await();
    }
}
