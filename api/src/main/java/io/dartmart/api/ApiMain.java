package io.dartmart.api;

import io.micronaut.runtime.Micronaut;

/** The API server on its own, as it runs in production (several copies behind a load balancer). */
public final class ApiMain {
    private ApiMain() {
    }

    public static void main(String[] args) {
        Micronaut.build(args).mainClass(ApiMain.class).banner(false).start();
    }
}
