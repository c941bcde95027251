package io.dartmart.engines.worker.launch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dartmart.domain.model.Entity;
import io.dartmart.domain.model.EntityType;
import io.micronaut.context.ApplicationContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.InvalidParameterException;

import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EcsTaskLauncherTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TASK_DEFINITION = "arn:aws:ecs:us-east-1:000000000000:task-definition/dart-spark:3";

    private EcsFakeServer fake;
    private EcsClient client;
    private EcsTaskLauncher launcher;

    @BeforeEach
    void start() throws Exception {
        fake = EcsFakeServer.start();
        client = fake.client();
        launcher = new EcsTaskLauncher(client);
    }

    @AfterEach
    void stop() {
        client.close();
        fake.close();
    }

    // ---- launch ----

    @Test
    void typeIsEcs() {
        assertEquals("ecs", launcher.type());
    }

    @Test
    void launchSendsClusterTaskDefinitionLaunchTypeNetworkAndEnvironment() throws Exception {
        var engine = engine("spark", TASK_DEFINITION, """
                {"type": "ecs", "cluster": "dart-jobs", "container_name": "worker", "launch_type": "ec2",
                 "subnets": ["subnet-1", "subnet-2"], "security_groups": ["sg-1"]}""");

        var handle = launcher.launch(engine, action(), environment());

        var runs = fake.requests("RunTask");
        assertEquals(1, runs.size());
        var run = runs.get(0);
        assertEquals("dart-jobs", run.path("cluster").asText());
        assertEquals(TASK_DEFINITION, run.path("taskDefinition").asText());
        assertEquals(1, run.path("count").asInt());
        assertEquals("EC2", run.path("launchType").asText());
        assertEquals("dart", run.path("startedBy").asText());
        var vpc = run.path("networkConfiguration").path("awsvpcConfiguration");
        assertEquals(List.of("subnet-1", "subnet-2"), strings(vpc.path("subnets")));
        assertEquals(List.of("sg-1"), strings(vpc.path("securityGroups")));
        assertEquals("DISABLED", vpc.path("assignPublicIp").asText());
        var overrides = run.path("overrides").path("containerOverrides");
        assertEquals(1, overrides.size());
        assertEquals("worker", overrides.get(0).path("name").asText());
        assertEquals(environment(), env(overrides.get(0)));
        assertFalse(run.has("tags"), "no tags");

        assertTrue(handle.startsWith("arn:aws:ecs:us-east-1:000000000000:task/dart-jobs/"), handle);
        var task = fake.task(handle);
        assertNotNull(task, "the handle is the task ARN the fake answered");
        assertEquals("PROVISIONING", task.path("lastStatus").asText());
    }

    @Test
    void launchDefaultsClusterLaunchTypeContainerNameAndNoNetwork() throws Exception {
        var withDefault = new EcsTaskLauncher(client, "dart-default");
        var engine = engine("noop", TASK_DEFINITION, """
                {"type": "ecs", "cluster": null, "subnets": [], "security_groups": null}""");

        var handle = withDefault.launch(engine, action(), environment());

        var run = fake.requests("RunTask").get(0);
        assertEquals("dart-default", run.path("cluster").asText());
        assertEquals("FARGATE", run.path("launchType").asText());
        assertFalse(run.has("networkConfiguration"), run.toString());
        var override = run.path("overrides").path("containerOverrides").get(0);
        assertEquals("noop", override.path("name").asText(), "the container is named after the engine");
        assertEquals(environment(), env(override));
        assertTrue(handle.contains(":task/dart-default/"), handle);
    }

    @Test
    void launchWithoutLauncherObjectUsesTheDefaultCluster() throws Exception {
        var engine = engine("bare", TASK_DEFINITION, null);

        launcher.launch(engine, action(), environment());

        var run = fake.requests("RunTask").get(0);
        assertEquals("default", run.path("cluster").asText());
        assertEquals("bare", run.path("overrides").path("containerOverrides").get(0).path("name").asText());
    }

    @Test
    void securityGroupsAloneStillSendAnAwsvpcConfiguration() throws Exception {
        var engine = engine("spark", TASK_DEFINITION, """
                {"type": "ecs", "security_groups": ["sg-9"]}""");

        launcher.launch(engine, action(), environment());

        var vpc = fake.requests("RunTask").get(0).path("networkConfiguration").path("awsvpcConfiguration");
        assertEquals(List.of("sg-9"), strings(vpc.path("securityGroups")));
        assertEquals("DISABLED", vpc.path("assignPublicIp").asText());
    }

    @Test
    void missingTaskDefinitionFailsWithoutCallingEcs() {
        for (var arn : new String[]{null, "  "}) {
            var engine = engine("spark", arn, """
                    {"type": "ecs", "cluster": "dart-jobs"}""");

            var e = assertThrows(LaunchException.class, () -> launcher.launch(engine, action(), environment()));

            assertTrue(e.getMessage().contains("ecs_task_definition_arn"), e.getMessage());
            assertTrue(e.getMessage().contains("spark"), e.getMessage());
        }
        assertEquals(List.of(), fake.requests());
    }

    @Test
    void unknownLaunchTypeFailsWithoutCallingEcs() {
        var engine = engine("spark", TASK_DEFINITION, """
                {"type": "ecs", "launch_type": "LAMBDA"}""");

        var e = assertThrows(LaunchException.class, () -> launcher.launch(engine, action(), environment()));

        assertTrue(e.getMessage().contains("LAMBDA"), e.getMessage());
        assertEquals(List.of(), fake.requests());
    }

    @Test
    void runTaskFailureIsALaunchExceptionWithTheReason() {
        fake.failNextRunTask("RESOURCE:MEMORY", "not enough memory on any container instance");
        var engine = engine("spark", TASK_DEFINITION, """
                {"type": "ecs", "cluster": "dart-jobs", "launch_type": "EC2"}""");

        var e = assertThrows(LaunchException.class, () -> launcher.launch(engine, action(), environment()));

        assertTrue(e.getMessage().contains("RESOURCE:MEMORY"), e.getMessage());
        assertTrue(e.getMessage().contains("not enough memory"), e.getMessage());
        assertTrue(e.getMessage().contains("dart-jobs"), e.getMessage());
        assertEquals(1, fake.requests("RunTask").size());
    }

    @Test
    void invalidParameterIsALaunchExceptionWithTheMessage() {
        fake.rejectNextRunTask("InvalidParameterException",
                "Network Configuration must be provided when networkMode 'awsvpc' is specified.");
        var engine = engine("spark", TASK_DEFINITION, """
                {"type": "ecs"}""");

        var e = assertThrows(LaunchException.class, () -> launcher.launch(engine, action(), environment()));

        assertTrue(e.getMessage().contains("InvalidParameterException"), e.getMessage());
        assertTrue(e.getMessage().contains("Network Configuration must be provided"), e.getMessage());
        assertInstanceOf(InvalidParameterException.class, e.getCause());
        assertEquals(1, fake.requests("RunTask").size(), "a 400 is not retried");
    }

    @Test
    void unreachableEcsIsALaunchException() {
        fake.close();
        var engine = engine("spark", TASK_DEFINITION, """
                {"type": "ecs"}""");

        var e = assertThrows(LaunchException.class, () -> launcher.launch(engine, action(), environment()));

        assertTrue(e.getMessage().startsWith("ECS RunTask failed for engine 'spark'"), e.getMessage());
    }

    // ---- stoppedReason ----

    @Test
    void stoppedReasonIsEmptyWhileTheTaskRunsAndNamesTheExitCodeAfterItStops() throws Exception {
        var engine = engine("spark", TASK_DEFINITION, """
                {"type": "ecs", "cluster": "dart-jobs"}""");
        var handle = launcher.launch(engine, action(), environment());

        assertEquals(Optional.empty(), launcher.stoppedReason(engine, handle), "PROVISIONING");
        fake.markRunning(handle);
        assertEquals(Optional.empty(), launcher.stoppedReason(engine, handle), "RUNNING");

        fake.stopTask(handle, "Essential container in task exited", 137);

        assertEquals(Optional.of("Essential container in task exited (exit code 137)"),
                launcher.stoppedReason(engine, handle));
        var describe = fake.requests("DescribeTasks").get(0);
        assertEquals("dart-jobs", describe.path("cluster").asText());
        assertEquals(List.of(handle), strings(describe.path("tasks")));
    }

    @Test
    void stoppedReasonCarriesTheContainerReason() throws Exception {
        var engine = engine("spark", TASK_DEFINITION, """
                {"type": "ecs", "container_name": "worker"}""");
        var handle = launcher.launch(engine, action(), environment());

        fake.stopTask(handle, "Essential container in task exited", "EssentialContainerExited", 137,
                "OutOfMemoryError: Container killed due to memory usage");

        assertEquals(Optional.of("Essential container in task exited "
                        + "(exit code 137, OutOfMemoryError: Container killed due to memory usage)"),
                launcher.stoppedReason(engine, handle));
    }

    @Test
    void stoppedReasonWithoutExitCode() throws Exception {
        var engine = engine("spark", TASK_DEFINITION, """
                {"type": "ecs"}""");
        var handle = launcher.launch(engine, action(), environment());

        client.stopTask(b -> b.cluster("default").task(handle).reason("Scaled in by an operator"));

        assertEquals(Optional.of("Scaled in by an operator"), launcher.stoppedReason(engine, handle));
    }

    @Test
    void stoppedReasonIsMissingForAnUnknownTask() {
        var engine = engine("spark", TASK_DEFINITION, """
                {"type": "ecs", "cluster": "dart-jobs"}""");

        var reason = launcher.stoppedReason(engine,
                "arn:aws:ecs:us-east-1:000000000000:task/dart-jobs/0123456789abcdef0123456789abcdef");

        assertEquals(Optional.of("ECS task not found (MISSING)"), reason);
    }

    @Test
    void stoppedReasonFindsTheTaskInTheClusterOfItsArnAfterTheEngineMoved() throws Exception {
        var before = engine("spark", TASK_DEFINITION, """
                {"type": "ecs", "cluster": "old-cluster"}""");
        var handle = launcher.launch(before, action(), environment());
        var after = engine("spark", TASK_DEFINITION, """
                {"type": "ecs", "cluster": "new-cluster"}""");

        assertEquals(Optional.empty(), launcher.stoppedReason(after, handle));
        assertEquals("old-cluster", fake.requests("DescribeTasks").get(0).path("cluster").asText());
    }

    @Test
    void aShortHandleUsesTheEngineCluster() throws Exception {
        var engine = engine("spark", TASK_DEFINITION, """
                {"type": "ecs", "cluster": "dart-jobs"}""");
        var handle = launcher.launch(engine, action(), environment());
        var taskId = handle.substring(handle.lastIndexOf('/') + 1);

        assertEquals(Optional.empty(), launcher.stoppedReason(engine, taskId));
        fake.stopTask(handle, "Essential container in task exited", 1);
        assertEquals(Optional.of("Essential container in task exited (exit code 1)"),
                launcher.stoppedReason(engine, taskId));
        assertEquals("dart-jobs", fake.requests("DescribeTasks").get(0).path("cluster").asText());
    }

    @Test
    void anEcsErrorInStoppedReasonIsEmpty() throws Exception {
        var engine = engine("spark", TASK_DEFINITION, """
                {"type": "ecs"}""");
        var handle = launcher.launch(engine, action(), environment());
        fake.stopTask(handle, "Essential container in task exited", 0);
        fake.rejectNextDescribeTasks(400, "AccessDeniedException", "not allowed to ecs:DescribeTasks");

        assertEquals(Optional.empty(), launcher.stoppedReason(engine, handle), "cannot tell");
        assertEquals(Optional.of("Essential container in task exited (exit code 0)"),
                launcher.stoppedReason(engine, handle), "the next call works again");
    }

    @Test
    void unreachableEcsInStoppedReasonIsEmpty() {
        fake.close();
        var engine = engine("spark", TASK_DEFINITION, """
                {"type": "ecs"}""");

        assertEquals(Optional.empty(), launcher.stoppedReason(engine,
                "arn:aws:ecs:us-east-1:000000000000:task/default/0123456789abcdef0123456789abcdef"));
    }

    @Test
    void clusterOfTaskArn() {
        assertEquals(Optional.of("jobs"),
                EcsTaskLauncher.clusterOfTaskArn("arn:aws:ecs:eu-west-1:123456789012:task/jobs/abc123"));
        assertEquals(Optional.empty(),
                EcsTaskLauncher.clusterOfTaskArn("arn:aws:ecs:eu-west-1:123456789012:task/abc123"));
        assertEquals(Optional.empty(), EcsTaskLauncher.clusterOfTaskArn("abc123"));
    }

    // ---- wiring ----

    @Test
    void micronautInjectsTheClientAndTheDefaultClusterProperty() throws Exception {
        try (var context = ApplicationContext.builder()
                .properties(Map.of("dart.ecs.cluster", "from-config"))
                .singletons(client)
                .start()) {
            var bean = context.getBean(EcsTaskLauncher.class);
            assertTrue(bean instanceof Launcher, "it is a Launcher bean");

            bean.launch(engine("noop", TASK_DEFINITION, null), action(), environment());

            assertEquals("from-config", fake.requests("RunTask").get(0).path("cluster").asText());
        }
    }

    // ---- helpers ----

    private static Entity engine(String name, String taskDefinitionArn, String launcherJson) {
        try {
            var data = JSON.createObjectNode();
            data.put("name", name);
            if (taskDefinitionArn != null) {
                data.put("ecs_task_definition_arn", taskDefinitionArn);
            }
            if (launcherJson != null) {
                data.set("launcher", JSON.readTree(launcherJson));
            }
            return entity(EntityType.ENGINE, data);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static Entity action() {
        var data = JSON.createObjectNode();
        data.put("name", "load");
        data.put("state", "PENDING");
        return entity(EntityType.ACTION, data);
    }

    private static Entity entity(EntityType type, ObjectNode data) {
        var now = Instant.now();
        return new Entity(type, java.util.UUID.randomUUID().toString(), 1, now, now, data);
    }

    private static Map<String, String> environment() {
        var env = new LinkedHashMap<String, String>();
        env.put("DART_ACTION_ID", "a-123");
        env.put("DART_API_URL", "http://dart.internal:8080");
        env.put("DART_API_KEY", "secret-key");
        return env;
    }

    private static Map<String, String> env(JsonNode containerOverride) {
        var env = new HashMap<String, String>();
        containerOverride.path("environment").forEach(kv -> env.put(kv.path("name").asText(),
                kv.path("value").asText()));
        return env;
    }

    private static List<String> strings(JsonNode array) {
        var out = new java.util.ArrayList<String>();
        array.forEach(v -> out.add(v.asText()));
        return out;
    }
}
