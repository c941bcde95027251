package io.dartmart.engines.worker.launch;

import com.fasterxml.jackson.databind.JsonNode;
import io.dartmart.domain.model.Entity;
import io.micronaut.context.annotation.Value;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.AssignPublicIp;
import software.amazon.awssdk.services.ecs.model.AwsVpcConfiguration;
import software.amazon.awssdk.services.ecs.model.Container;
import software.amazon.awssdk.services.ecs.model.ContainerOverride;
import software.amazon.awssdk.services.ecs.model.DescribeTasksResponse;
import software.amazon.awssdk.services.ecs.model.Failure;
import software.amazon.awssdk.services.ecs.model.KeyValuePair;
import software.amazon.awssdk.services.ecs.model.LaunchType;
import software.amazon.awssdk.services.ecs.model.NetworkConfiguration;
import software.amazon.awssdk.services.ecs.model.RunTaskRequest;
import software.amazon.awssdk.services.ecs.model.RunTaskResponse;
import software.amazon.awssdk.services.ecs.model.Task;
import software.amazon.awssdk.services.ecs.model.TaskOverride;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Runs one ECS task per action ({@code launcher.type = ecs}).
 *
 * <p>{@link #launch} calls RunTask with the engine's {@code ecs_task_definition_arn} (required), in
 * {@code launcher.cluster} (else {@code dart.ecs.cluster}, default {@code default}), with {@code launcher.launch_type}
 * (default {@code FARGATE}), an awsvpc network configuration when {@code launcher.subnets} or
 * {@code launcher.security_groups} are given (no public IP), and one container override named
 * {@code launcher.container_name} (default: the engine name) whose environment is the launch environment
 * ({@code DART_ACTION_ID}, {@code DART_API_URL}, {@code DART_API_KEY}: the action's token, and what
 * {@code launcher.environment} names). The handle is the task ARN.
 *
 * <p>{@link #stoppedReason} calls DescribeTasks. A task ARN in the long format
 * ({@code arn:aws:ecs:region:account:task/cluster/id}) names its cluster, and that cluster is used, so a task is
 * still found after the engine's {@code launcher.cluster} was changed; a short ARN falls back to the engine's
 * cluster.
 */
@Singleton
public class EcsTaskLauncher implements Launcher {
    public static final String TYPE = "ecs";
    /** The {@code startedBy} of every task dart starts (ECS allows up to 36 characters). */
    static final String STARTED_BY = "dart";
    static final String DEFAULT_LAUNCH_TYPE = "FARGATE";

    private static final Logger LOG = LoggerFactory.getLogger(EcsTaskLauncher.class);

    private final EcsClient ecs;
    private final String defaultCluster;

    @Inject
    public EcsTaskLauncher(EcsClient ecs, @Value("${dart.ecs.cluster:default}") String defaultCluster) {
        this.ecs = Objects.requireNonNull(ecs, "ecs");
        this.defaultCluster = defaultCluster == null || defaultCluster.isBlank() ? "default" : defaultCluster;
    }

    /** For tests: the default cluster is {@code default}. */
    EcsTaskLauncher(EcsClient ecs) {
        this(ecs, "default");
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public String launch(Entity engine, Entity action, Map<String, String> environment) throws LaunchException {
        var engineName = engineName(engine);
        var taskDefinition = engine.text("ecs_task_definition_arn");
        if (taskDefinition == null || taskDefinition.isBlank()) {
            throw new LaunchException("engine '" + engineName + "' has no ecs_task_definition_arn: an ECS engine needs"
                    + " a registered task definition");
        }
        var launcher = launcherNode(engine);
        var cluster = cluster(launcher);
        var launchType = launchType(engineName, launcher);
        var containerName = orDefault(text(launcher, "container_name"), engineName);
        var subnets = strings(launcher, "subnets");
        var securityGroups = strings(launcher, "security_groups");

        var env = new ArrayList<KeyValuePair>();
        if (environment != null) {
            environment.forEach((k, v) -> env.add(KeyValuePair.builder().name(k).value(v).build()));
        }
        var request = RunTaskRequest.builder()
                .cluster(cluster)
                .taskDefinition(taskDefinition)
                .count(1)
                .launchType(launchType)
                .startedBy(STARTED_BY)
                .overrides(TaskOverride.builder()
                        .containerOverrides(ContainerOverride.builder().name(containerName).environment(env).build())
                        .build());
        if (!subnets.isEmpty() || !securityGroups.isEmpty()) {
            request.networkConfiguration(NetworkConfiguration.builder()
                    .awsvpcConfiguration(AwsVpcConfiguration.builder()
                            .subnets(subnets)
                            .securityGroups(securityGroups)
                            .assignPublicIp(AssignPublicIp.DISABLED)
                            .build())
                    .build());
        }

        RunTaskResponse response;
        try {
            response = ecs.runTask(request.build());
        } catch (SdkException e) {
            throw new LaunchException("ECS RunTask failed for engine '" + engineName + "' in cluster '" + cluster
                    + "': " + describe(e), e);
        }
        var started = response.hasTasks() ? response.tasks() : List.<Task>of();
        if (started.isEmpty() || started.get(0).taskArn() == null) {
            var reasons = response.hasFailures() && !response.failures().isEmpty()
                    ? response.failures().stream().map(EcsTaskLauncher::describe).collect(Collectors.joining("; "))
                    : "no task and no failure in the answer";
            throw new LaunchException("ECS RunTask started no task for engine '" + engineName + "' in cluster '"
                    + cluster + "': " + reasons);
        }
        var taskArn = started.get(0).taskArn();
        LOG.info("Started ECS task {} for action {} of engine '{}' in cluster '{}'", taskArn,
                action == null ? null : action.id(), engineName, cluster);
        return taskArn;
    }

    @Override
    public Optional<String> stoppedReason(Entity engine, String handle) {
        if (handle == null || handle.isBlank()) {
            return Optional.of("ECS task not found (no task ARN)");
        }
        var cluster = clusterOfTaskArn(handle).orElseGet(() -> cluster(launcherNode(engine)));
        DescribeTasksResponse response;
        try {
            response = ecs.describeTasks(b -> b.cluster(cluster).tasks(handle));
        } catch (SdkException e) {
            LOG.warn("ECS DescribeTasks failed for task {} in cluster '{}'; cannot tell whether it still runs: {}",
                    handle, cluster, describe(e));
            return Optional.empty();
        }
        if (response.hasTasks()) {
            for (var task : response.tasks()) {
                if (handle.equals(task.taskArn()) || response.tasks().size() == 1) {
                    return "STOPPED".equals(task.lastStatus())
                            ? Optional.of(stopReason(task, containerName(engine)))
                            : Optional.empty();
                }
            }
        }
        if (response.hasFailures()) {
            for (var failure : response.failures()) {
                if ("MISSING".equals(failure.reason())) {
                    return Optional.of("ECS task not found (MISSING)");
                }
            }
            LOG.warn("ECS DescribeTasks for task {} in cluster '{}' answered failures: {}", handle, cluster,
                    response.failures().stream().map(EcsTaskLauncher::describe).collect(Collectors.joining("; ")));
        }
        return Optional.empty();
    }

    /**
     * The task's stopped reason with the exit code (and reason) of the engine's container, else of the first
     * container that has an exit code: {@code Essential container in task exited (exit code 137)}.
     */
    static String stopReason(Task task, String preferredContainer) {
        var reason = firstNonBlank(task.stoppedReason(), task.stopCodeAsString(), "ECS task stopped");
        var containers = task.hasContainers() ? task.containers() : List.<Container>of();
        var container = containers.stream()
                .filter(c -> c.name() != null && c.name().equals(preferredContainer) && c.exitCode() != null)
                .findFirst()
                .or(() -> containers.stream().filter(c -> c.exitCode() != null).findFirst());
        if (container.isEmpty()) {
            return reason;
        }
        var c = container.get();
        var detail = "exit code " + c.exitCode();
        if (c.reason() != null && !c.reason().isBlank()) {
            detail += ", " + c.reason();
        }
        return reason + " (" + detail + ")";
    }

    /** The cluster named by a long-format task ARN {@code arn:aws:ecs:region:account:task/cluster/id}. */
    static Optional<String> clusterOfTaskArn(String taskArn) {
        if (!taskArn.startsWith("arn:")) {
            return Optional.empty();
        }
        var at = taskArn.indexOf(":task/");
        if (at < 0) {
            return Optional.empty();
        }
        var parts = taskArn.substring(at + ":task/".length()).split("/");
        return parts.length == 2 && !parts[0].isBlank() ? Optional.of(parts[0]) : Optional.empty();
    }

    private String cluster(JsonNode launcher) {
        return orDefault(text(launcher, "cluster"), defaultCluster);
    }

    private static String containerName(Entity engine) {
        return orDefault(text(launcherNode(engine), "container_name"), engineName(engine));
    }

    private static String launchType(String engineName, JsonNode launcher) throws LaunchException {
        var value = orDefault(text(launcher, "launch_type"), DEFAULT_LAUNCH_TYPE).trim().toUpperCase(Locale.ROOT);
        if (LaunchType.fromValue(value) == LaunchType.UNKNOWN_TO_SDK_VERSION) {
            throw new LaunchException("engine '" + engineName + "' has an unknown launcher.launch_type '"
                    + text(launcher, "launch_type") + "'; expected one of " + LaunchType.knownValues());
        }
        return value;
    }

    private static String engineName(Entity engine) {
        var name = engine.text("name");
        return name == null ? engine.id() : name;
    }

    private static JsonNode launcherNode(Entity engine) {
        var node = engine.data() == null ? null : engine.data().get("launcher");
        return node != null && node.isObject() ? node : null;
    }

    private static String text(JsonNode node, String field) {
        if (node == null) {
            return null;
        }
        var value = node.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }

    private static List<String> strings(JsonNode node, String field) {
        var value = node == null ? null : node.get(field);
        var out = new ArrayList<String>();
        if (value != null && value.isArray()) {
            value.forEach(v -> {
                if (!v.isNull() && !v.asText().isBlank()) {
                    out.add(v.asText());
                }
            });
        }
        return out;
    }

    private static String orDefault(String value, String fallback) {
        return value == null || value.isBlank() ? fallback : value;
    }

    private static String firstNonBlank(String... values) {
        for (var v : values) {
            if (v != null && !v.isBlank()) {
                return v;
            }
        }
        return null;
    }

    private static String describe(Failure f) {
        var s = orDefault(f.reason(), "unknown reason");
        if (f.detail() != null && !f.detail().isBlank()) {
            s += " (" + f.detail() + ")";
        }
        if (f.arn() != null && !f.arn().isBlank()) {
            s += " for " + f.arn();
        }
        return s;
    }

    private static String describe(SdkException e) {
        if (e instanceof AwsServiceException ase && ase.awsErrorDetails() != null) {
            var d = ase.awsErrorDetails();
            var code = orDefault(d.errorCode(), e.getClass().getSimpleName());
            return d.errorMessage() == null ? code : code + ": " + d.errorMessage();
        }
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }
}
