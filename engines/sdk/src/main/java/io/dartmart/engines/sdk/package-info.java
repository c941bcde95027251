/**
 * Writing a dart engine in Java.
 *
 * <p>An engine is a process that takes actions from the dart API, works on them and reports the outcome, over the
 * engine protocol of the REST API (see the README, "Writing an engine"). This package is the whole public API:
 *
 * <pre>{@code
 * DartEngine engine = DartEngine.builder()
 *         .apiUrl(URI.create(System.getenv("DART_API_URL")))
 *         .apiKey(System.getenv("DART_API_KEY"))            // "key:secret" of a key with role engine
 *         .name("my_engine")
 *         .description("Does things")
 *         .optionsSchema(datastoreArgsSchema)                // JSON Schema of the args of its datastores
 *         .actionType("do_thing", "Does one thing", paramsSchema, ctx -> {
 *             ctx.progress(0.5);
 *             ctx.sleep(Duration.ofSeconds(1));
 *             if (ctx.actionArgs().path("fail").asBoolean()) {
 *                 throw new IllegalStateException("asked to fail");   // FAILURE, with this error_message
 *             }
 *         })                                                 // returning normally: SUCCESS
 *         .build();
 * engine.register();                                         // POST the first time, PUT after
 * try (PullWorkers workers = engine.startPullWorkers(2)) {   // long-poll for work until closed
 *     ...
 * }
 * // or, when started by dart for one action (DART_ACTION_ID):
 * boolean checkedIn = engine.runLaunched(System.getenv("DART_ACTION_ID"));
 * }</pre>
 *
 * <p>The SDK keeps one HTTP client per engine, sends a heartbeat every ten seconds while a handler runs, backs off
 * (capped, exponential) when the API cannot be reached, and reports API errors as {@link
 * io.dartmart.engines.sdk.DartApiException} with the status and the server's {@code error_message}. It depends on
 * Jackson and SLF4J only, and speaks the wire JSON as an engine in any other language would.
 *
 * <p>{@link io.dartmart.engines.sdk.RegistrationResource} keeps an engine's registration as a JSON resource beside
 * its class and pairs its action types with handlers; {@link io.dartmart.engines.sdk.EngineProcess} is the {@code
 * main} of an engine process in either mode (the built-in no_op and s3 engines use both).
 *
 * <p>Nothing under {@code io.dartmart.engines.sdk.internal} is API; it may change at any time.
 */
package io.dartmart.engines.sdk;
