package io.dartmart.domain.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dartmart.domain.auth.Caller;
import io.dartmart.domain.error.InvalidInputException;
import io.dartmart.domain.execution.Calls;
import io.dartmart.domain.execution.InstanceProgress;
import io.dartmart.domain.execution.Outbox;
import io.dartmart.domain.filter.Filter;
import io.dartmart.domain.filter.OrderBy;
import io.dartmart.domain.model.Entity;
import io.dartmart.domain.model.EntityType;
import io.dartmart.domain.model.Ids;
import io.dartmart.domain.model.Json;
import io.dartmart.domain.model.Timestamps;
import io.dartmart.domain.state.ActionState;
import io.dartmart.domain.state.RunState;
import io.dartmart.domain.store.Db;
import io.dartmart.domain.store.EntityStore;
import io.dartmart.domain.store.ListQuery;
import io.dartmart.domain.subscription.SubscriptionConsumption;
import io.dartmart.domain.template.ArgTemplates;
import io.dartmart.domain.template.RunVariables;
import jakarta.inject.Singleton;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Starting a run of a workflow: the checks, the instance, the datastore it runs on, and its actions. The
 * workflow row is locked for the whole transaction, so two triggers firing at once on several processes see
 * each other's instances and never exceed the workflow's concurrency.
 */
@Singleton
public class WorkflowRuns {
    private final Db db;
    private final EntityStore store;
    private final Clock clock;
    private final InstanceProgress progress;
    private final Outbox outbox;
    private final SubscriptionConsumption consumption;
    private final SchedulePoints schedulePoints;

    public WorkflowRuns(Db db, EntityStore store, Clock clock, InstanceProgress progress, Outbox outbox,
                        SubscriptionConsumption consumption, SchedulePoints schedulePoints) {
        this.consumption = consumption;
        this.schedulePoints = schedulePoints;
        this.progress = progress;
        this.outbox = outbox;
        this.db = db;
        this.store = store;
        this.clock = clock;
    }

    /**
     * Optional extras of a run: what its actions see at checkout (and its templates as {@code params}), where to report
     * its end, the subscription batch its consume_subscription step consumes, and the schedule point it stands for.
     */
    public record RunOptions(JsonNode parameters, String callbackUrl, String subscriptionBatchId, SchedulePoint point) {
        public static final RunOptions NONE = new RunOptions(null, null, null);

        public RunOptions(JsonNode parameters, String callbackUrl, String subscriptionBatchId) {
            this(parameters, callbackUrl, subscriptionBatchId, null);
        }

        public RunOptions(JsonNode parameters, String callbackUrl) {
            this(parameters, callbackUrl, null);
        }

        public static RunOptions at(SchedulePoint point) {
            return new RunOptions(null, null, null, point);
        }

        public RunOptions withPoint(SchedulePoint schedulePoint) {
            return new RunOptions(parameters, callbackUrl, subscriptionBatchId, schedulePoint);
        }

        public static RunOptions batch(String subscriptionBatchId) {
            return new RunOptions(null, null, subscriptionBatchId);
        }
    }

    /** A workflow that already has a queued or running run of the schedule point asked for. */
    public static final class PointBusy extends InvalidInputException {
        PointBusy(String message) {
            super(message);
        }
    }

    public Entity start(String workflowId, String triggerType, String triggerId, RunOptions options, Caller caller) {
        return db.tx(c -> start(c, workflowId, triggerType, triggerId, 0, options, caller));
    }

    public Entity start(Connection c, String workflowId, String triggerType, String triggerId, int retryNum,
                        RunOptions options, Caller caller) throws SQLException {
        Entity workflow = store.getForUpdate(c, EntityType.WORKFLOW, workflowId);
        if (!"ACTIVE".equals(workflow.text("state"))) {
            throw new InvalidInputException("workflow '" + workflowId + "' is " + workflow.text("state")
                    + "; only an ACTIVE workflow runs");
        }
        SchedulePoint point = options.point();
        if (point != null && schedulePoints.busy(c, workflowId, point.point())) {
            throw new PointBusy("workflow '" + workflowId + "' already has a queued or running run for the schedule"
                    + " point " + Timestamps.format(point.point()));
        }
        int concurrency = workflow.data().path("concurrency").asInt(1);
        // a backfill keeps to its own max_active_runs instead, so that it never takes the schedule's slots
        long running = point != null && point.backfillId() != null ? 0 : schedulePoints.activeOutsideBackfills(c,
                workflowId);
        if (running >= concurrency) {
            throw new InvalidInputException("workflow '" + workflowId + "' already has " + running
                    + " queued or running instance(s), which is its concurrency (" + concurrency + ")");
        }
        String datastoreId = workflow.text("datastore_id");
        Entity datastore = datastoreId == null ? null : store.find(c, EntityType.DATASTORE, datastoreId).orElse(null);
        if (datastore == null) {
            throw new InvalidInputException("workflow '" + workflowId + "' has no datastore to run on: datastore '"
                    + datastoreId + "' does not exist");
        }
        if ("TEMPLATE".equals(datastore.text("state"))) {
            datastore = cloneTemplate(c, datastore, caller);
        }
        Instant created = Timestamps.now(clock);
        String now = Timestamps.format(created);
        ObjectNode instanceData = Json.object();
        instanceData.put("workflow_id", workflowId);
        instanceData.put("datastore_id", datastore.id());
        instanceData.put("state", RunState.QUEUED.name());
        instanceData.put("trigger_type", triggerType);
        instanceData.put("trigger_id", triggerId);
        instanceData.put("queued_time", now);
        instanceData.set("start_time", NullNode.getInstance());
        instanceData.set("end_time", NullNode.getInstance());
        instanceData.put("retry_num", retryNum);
        instanceData.set("error_message", NullNode.getInstance());
        instanceData.set("parameters", options.parameters() == null ? NullNode.getInstance() : options.parameters());
        instanceData.put("callback_url", options.callbackUrl());
        instanceData.set("tags", Json.array());
        instanceData.put("user_id", caller.userId());
        if (options.subscriptionBatchId() != null) {
            instanceData.put(SubscriptionConsumption.BATCH_ID, options.subscriptionBatchId());
        }
        instanceData.put("data_interval_start", Timestamps.format(point == null ? created : point.point()));
        instanceData.put("data_interval_end", Timestamps.format(point == null ? created : point.next()));
        instanceData.put(SchedulePoint.POINT, point == null ? null : Timestamps.format(point.point()));
        instanceData.put(SchedulePoint.BACKFILL_ID, point == null ? null : point.backfillId());
        Entity instance = store.insert(c, EntityType.WORKFLOW_INSTANCE, instanceData);
        RunVariables variables = new RunVariables(instance.id(), point == null ? created : point.point(),
                point == null ? created : point.next(), options.parameters());
        String templateFailure = null;
        List<Entity> steps;
        try {
            steps = copySteps(c, workflow, instance, datastore, caller, variables);
        } catch (StepTemplateFailure e) {
            templateFailure = e.getMessage();
            steps = copySteps(c, workflow, instance, datastore, caller, null);
        }
        if (consumption.assignRun(c, options.subscriptionBatchId(), steps)) {
            instance = store.update(c, instance, instance.data().deepCopy().put(SubscriptionConsumption.HOLDS_ELEMENTS,
                    true));
        }
        if (workflow.data().path("on_started_email").size() > 0) {
            ObjectNode fields = Json.object();
            fields.put("workflow_instance_id", instance.id());
            fields.put("workflow_id", workflowId);
            outbox.add(c, Calls.RUN_STARTED, fields);
        }
        Entity locked = store.getForUpdate(c, EntityType.WORKFLOW_INSTANCE, instance.id());
        if (templateFailure != null) {
            progress.fail(c, locked, steps, null, templateFailure);
        } else {
            progress.advance(c, locked);
        }
        return store.get(c, EntityType.WORKFLOW_INSTANCE, instance.id());
    }

    /** A TEMPLATE datastore is never run on itself: each run gets an ACTIVE copy that points back at it. */
    private Entity cloneTemplate(Connection c, Entity template, Caller caller) throws SQLException {
        String id = Ids.newId();
        ObjectNode data = template.data().deepCopy();
        data.put("state", "ACTIVE");
        data.put("workflow_datastore_id", template.id());
        data.put("user_id", caller.userId());
        for (String path : List.of("s3_artifacts_path", "s3_logs_path")) {
            String value = template.text(path);
            if (value != null) {
                data.put(path, value.replace(template.id(), id));
            }
        }
        return store.insert(c, EntityType.DATASTORE, id, data);
    }

    /** A step whose templated args did not render; the run fails at start with this message. */
    private static final class StepTemplateFailure extends RuntimeException {
        StepTemplateFailure(String step, ArgTemplates.TemplateFailure cause) {
            super("step '" + step + "': " + cause.getMessage());
        }
    }

    /**
     * Copies the workflow's TEMPLATE steps with their args rendered over {@code variables} (as written when null);
     * they wait in HAS_NEVER_RUN until the run queues them.
     */
    private List<Entity> copySteps(Connection c, Entity workflow, Entity instance, Entity datastore, Caller caller,
                                   RunVariables variables) throws SQLException {
        List<Entity> steps = store.all(c, EntityType.ACTION, new ListQuery(List.of(
                Filter.eq("workflow_id", workflow.id()), Filter.eq("state", ActionState.TEMPLATE.name())),
                List.of(new OrderBy(List.of("order_idx"), false)), ListQuery.MAX_LIMIT, 0));
        List<ObjectNode> copies = new ArrayList<>();
        for (int i = 0; i < steps.size(); i++) {
            Entity step = steps.get(i);
            ObjectNode data = step.data().deepCopy();
            if (variables != null) {
                try {
                    data.set("args", ArgTemplates.render(step.data().get("args"), variables));
                } catch (ArgTemplates.TemplateFailure e) {
                    throw new StepTemplateFailure(step.text("name"), e);
                }
            }
            boolean first = i == 0;
            data.put("state", ActionState.HAS_NEVER_RUN.name());
            data.putNull("queued_time");
            data.put("attempt", 0);
            data.put("datastore_id", datastore.id());
            data.put("workflow_instance_id", instance.id());
            data.put("workflow_action_id", step.id());
            data.put("first_in_workflow", first);
            data.put("last_in_workflow", i == steps.size() - 1);
            data.put("user_id", caller.userId());
            copies.add(data);
        }
        List<Entity> inserted = new ArrayList<>();
        for (ObjectNode data : copies) {
            inserted.add(store.insert(c, EntityType.ACTION, data));
        }
        return inserted;
    }
}
