#!/usr/bin/env python3
"""Checks that deploy-cloudformation/dart.yaml is a well-formed CloudFormation template.

Needs only python3 and PyYAML. Usage:

    python3 deploy-cloudformation/check_template.py [TEMPLATE] [--no-cfn-lint]
    python3 deploy-cloudformation/check_template.py --self-test

What it checks (errors make the exit code 1; warnings do not):
  * YAML: parses with the CloudFormation short-form tags (!Ref, !Sub, !GetAtt, ...); no anchors or aliases
    (CloudFormation rejects them); no duplicate keys (PyYAML would silently keep the last one).
  * Structure: known top-level sections, every resource has a Type and only known resource attributes.
  * References: every Ref, GetAtt, Sub variable and DependsOn names a resource, parameter or pseudo
    parameter; GetAtt and DependsOn name resources; every condition used (Condition, Fn::If) is defined.
  * Conditional resources are referenced only where their condition holds (same resource condition or the
    true branch of an Fn::If on it), and never from DependsOn of a resource without that condition.
  * No dependency cycle between resources (Ref, GetAtt, Sub, DependsOn), which is what CloudFormation
    reports as "Circular dependency between resources".
  * Parameter defaults satisfy AllowedValues, AllowedPattern, MinValue/MaxValue; unused parameters and
    conditions are warned about.
  * Size: at most 51,200 bytes, the limit of `aws cloudformation deploy` without --s3-bucket.
  * dart's own contract: each dart task definition (api, trigger-worker, engine-worker, subscription-worker)
    sets the environment its process reads and nothing the process does not read (the API gets no queue URL,
    only the trigger worker gets DART_QUEUE_TRIGGER_URL and SMTP, only the engine worker DART_API_URL and
    DART_ECS_CLUSTER); DART_AWS_REGION is the stack's region; the API listens on 5000 behind a /health check;
    the workers run the right main classes; only the engine worker's task role may run ECS tasks or pass
    roles; the engine worker's desired count cannot be 0; the load balancer's idle timeout outlasts the
    50-second long polls; and an S3 bucket notifying an SQS queue DependsOn that queue's policy while the
    policy does not reference the bucket.
Then, if `cfn-lint` is on PATH, it is run too (it knows every resource type's properties).
"""
import os
import re
import shutil
import subprocess
import sys

try:
    import yaml
except ImportError:  # pragma: no cover
    sys.exit("check_template.py needs PyYAML (python3 -m pip install pyyaml, or apt-get install python3-yaml)")

PSEUDO = {
    "AWS::AccountId", "AWS::NotificationARNs", "AWS::NoValue", "AWS::Partition", "AWS::Region",
    "AWS::StackId", "AWS::StackName", "AWS::URLSuffix",
}
SECTIONS = {
    "AWSTemplateFormatVersion", "Description", "Metadata", "Parameters", "Rules", "Mappings", "Conditions",
    "Transform", "Resources", "Outputs",
}
RESOURCE_KEYS = {
    "Type", "Properties", "DependsOn", "Condition", "DeletionPolicy", "UpdateReplacePolicy", "Metadata",
    "CreationPolicy", "UpdatePolicy",
}
# short-form tag -> long-form key
TAGS = {
    "Ref": "Ref", "Condition": "Condition", "Sub": "Fn::Sub", "GetAtt": "Fn::GetAtt", "If": "Fn::If",
    "Equals": "Fn::Equals", "Not": "Fn::Not", "And": "Fn::And", "Or": "Fn::Or", "Select": "Fn::Select",
    "Split": "Fn::Split", "Join": "Fn::Join", "GetAZs": "Fn::GetAZs", "ImportValue": "Fn::ImportValue",
    "FindInMap": "Fn::FindInMap", "Base64": "Fn::Base64", "Cidr": "Fn::Cidr", "Transform": "Fn::Transform",
    "Length": "Fn::Length", "ToJsonString": "Fn::ToJsonString",
}
TEMPLATE_BODY_LIMIT = 51200

# dart's contract with its processes (README "Configuration"): what every process needs, and per process
# what it must have and what it may have besides. Anything else is a variable the process does not read.
COMMON_ENV = {
    "DATASOURCES_DEFAULT_URL", "DATASOURCES_DEFAULT_USERNAME", "DATASOURCES_DEFAULT_PASSWORD", "DART_SECRETS_KEY",
    "DART_LOG_FORMAT", "DART_S3_DATASTORES_ROOT", "DART_AWS_REGION", "AWS_REGION",
}
COMMON_OPTIONAL_ENV = {
    "JAVA_TOOL_OPTIONS", "DART_LOG_LEVEL", "DART_DB_POOL_SIZE",
}
SMTP_ENV = {
    "DART_SMTP_HOST", "DART_SMTP_PORT", "DART_SMTP_FROM", "DART_SMTP_USERNAME", "DART_SMTP_PASSWORD",
    "DART_SMTP_STARTTLS", "DART_SMTP_TIMEOUT",
}
PROCESS_ENV = {  # container: (required besides COMMON_ENV, optional besides COMMON_OPTIONAL_ENV)
    "api": ({"MICRONAUT_SERVER_PORT"}, {"DART_BOOTSTRAP_KEY", "DART_ADMIN_USER", "DART_MAX_REQUEST_SIZE",
                                        "DART_METRICS_ENTITY_REFRESH"}),
    "trigger-worker": ({"DART_QUEUE_TRIGGER_URL"}, SMTP_ENV | {
        "DART_TRIGGER_WORKER_CONSUMERS", "DART_TRIGGER_WORKER_SCHEDULE_INTERVAL", "DART_CALLBACKS_MAX_ATTEMPTS",
        "DART_CALLBACKS_INITIAL_DELAY", "DART_CALLBACKS_TIMEOUT"}),
    "engine-worker": ({"DART_API_URL", "DART_ECS_CLUSTER"}, {
        "DART_EXECUTION_HEARTBEAT_TIMEOUT", "DART_EXECUTION_CHECKOUT_TIMEOUT", "DART_EXECUTION_SWEEP_INTERVAL"}),
    "subscription-worker": ({"DART_QUEUE_SUBSCRIPTION_URL"}, {
        "DART_SUBSCRIPTION_WORKER_LEASE", "DART_SUBSCRIPTION_WORKER_INTERVAL", "DART_SUBSCRIPTION_WORKER_LISTERS",
        "DART_SUBSCRIPTION_WORKER_CONSUMERS"}),
}
DART_CONTAINERS = {
    "api": None,
    "trigger-worker": ["java", "-cp", "app.jar", "io.dartmart.triggers.TriggerWorkerMain"],
    "engine-worker": ["java", "-cp", "app.jar", "io.dartmart.engines.worker.EngineWorkerMain"],
    "subscription-worker": ["java", "-cp", "app.jar", "io.dartmart.triggers.SubscriptionWorkerMain"],
}
# only the engine worker launches engine tasks
ENGINE_LAUNCH_ACTIONS = {"ecs:RunTask", "ecs:DescribeTasks", "ecs:StopTask", "iam:PassRole"}
ENGINE_WORKER = "engine-worker"
LONG_POLL_SECONDS = 50  # the longest wait_seconds of POST /api/1/engine/{name}/action/poll


# ------------------------------------------------------------------ loading

class TemplateLoader(yaml.SafeLoader):
    """SafeLoader plus CloudFormation tags, refusing duplicate keys."""


def _construct_mapping(loader, node, deep=False):
    loader.flatten_mapping(node)
    seen = {}
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=deep)
        if key in seen:
            raise yaml.constructor.ConstructorError(
                "while constructing a mapping", node.start_mark,
                f"duplicate key {key!r} (first at line {seen[key] + 1})", key_node.start_mark)
        seen[key] = key_node.start_mark.line
    return yaml.SafeLoader.construct_mapping(loader, node, deep=deep)


TemplateLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def _tag_constructor(long_name):
    def construct(loader, node):
        if isinstance(node, yaml.ScalarNode):
            value = loader.construct_scalar(node)
            if long_name == "Fn::GetAtt":
                if "." not in value:
                    raise yaml.constructor.ConstructorError(
                        None, None, f"!GetAtt {value!r} needs the form Resource.Attribute", node.start_mark)
                value = value.split(".", 1)
            elif long_name == "Fn::GetAZs" and value == "":
                value = ""
        elif isinstance(node, yaml.SequenceNode):
            value = loader.construct_sequence(node, deep=True)
        else:
            value = _construct_mapping(loader, node, deep=True)
        return {long_name: value}
    return construct


for _short, _long in TAGS.items():
    TemplateLoader.add_constructor("!" + _short, _tag_constructor(_long))


def find_anchors(text):
    """CloudFormation does not accept YAML anchors, aliases or merge keys."""
    problems = []
    for event in yaml.parse(text, Loader=TemplateLoader):
        line = event.start_mark.line + 1
        if isinstance(event, yaml.AliasEvent):
            problems.append(f"line {line}: YAML alias *{event.anchor} (CloudFormation does not support aliases)")
        elif getattr(event, "anchor", None):
            problems.append(f"line {line}: YAML anchor &{event.anchor} (CloudFormation does not support anchors)")
        elif isinstance(event, yaml.ScalarEvent) and event.value == "<<" and event.style is None:
            problems.append(f"line {line}: YAML merge key << (CloudFormation does not support it)")
    return problems


# ------------------------------------------------------------------ checking

SUB_VAR = re.compile(r"\$\{([^}]*)\}")


def sub_variables(text):
    """Names used by an Fn::Sub string: ${Name} or ${Resource.Attr}; ${!Literal} is not a variable."""
    return [m.group(1).strip() for m in SUB_VAR.finditer(text) if not m.group(1).startswith("!")]


class Checker:
    def __init__(self, template, text_size):
        self.t = template
        self.size = text_size
        self.errors = []
        self.warnings = []
        self.params = template.get("Parameters") or {}
        self.resources = template.get("Resources") or {}
        self.conditions = template.get("Conditions") or {}
        self.used_params = set()
        self.used_conditions = set()
        self.edges = {name: set() for name in self.resources}  # resource -> resources it depends on

    def error(self, msg):
        self.errors.append(msg)

    def warn(self, msg):
        self.warnings.append(msg)

    # -- entry
    def run(self):
        t = self.t
        if not isinstance(t, dict):
            self.error("the template is not a mapping")
            return self
        for key in t:
            if key not in SECTIONS:
                self.error(f"unknown top-level section {key!r}")
        if t.get("AWSTemplateFormatVersion") not in (None, "2010-09-09"):
            self.error("AWSTemplateFormatVersion must be '2010-09-09' (quoted, so YAML keeps it a string)")
        if not self.resources:
            self.error("no Resources")
        if self.size > TEMPLATE_BODY_LIMIT:
            self.error(f"the template is {self.size} bytes, over the {TEMPLATE_BODY_LIMIT} that "
                       "`aws cloudformation deploy` accepts without --s3-bucket")
        if len(self.resources) > 500:
            self.error("more than 500 resources")
        self.check_parameters()
        self.check_conditions()
        self.check_resources()
        self.check_outputs()
        self.check_cycles()
        for p in self.params:
            if p not in self.used_params:
                self.warn(f"parameter {p} is never used")
        for c in self.conditions:
            if c not in self.used_conditions:
                self.warn(f"condition {c} is never used")
        self.check_dart_contract()
        return self

    # -- parameters
    def check_parameters(self):
        for name, p in self.params.items():
            where = f"Parameters/{name}"
            if not isinstance(p, dict) or "Type" not in p:
                self.error(f"{where}: needs a Type")
                continue
            if "Default" not in p:
                continue
            default = p["Default"]
            if isinstance(default, bool):
                self.error(f"{where}: Default {default!r} is a YAML boolean; quote it")
            allowed = p.get("AllowedValues")
            if allowed is not None and str(default) not in [str(a) for a in allowed]:
                self.error(f"{where}: Default {default!r} is not in AllowedValues")
            pattern = p.get("AllowedPattern")
            if pattern is not None and p["Type"] == "String" and not re.fullmatch(pattern, str(default)):
                self.error(f"{where}: Default {default!r} does not match AllowedPattern {pattern}")
            if p["Type"] == "Number":
                try:
                    number = float(default)
                except (TypeError, ValueError):
                    self.error(f"{where}: Default {default!r} is not a number")
                    continue
                if "MinValue" in p and number < float(p["MinValue"]):
                    self.error(f"{where}: Default below MinValue")
                if "MaxValue" in p and number > float(p["MaxValue"]):
                    self.error(f"{where}: Default above MaxValue")

    # -- conditions
    def check_conditions(self):
        for name, body in self.conditions.items():
            self.walk(body, f"Conditions/{name}", owner=None, active=frozenset(), in_conditions=True)

    # -- resources
    def check_resources(self):
        for name, r in self.resources.items():
            where = f"Resources/{name}"
            if not re.fullmatch(r"[A-Za-z0-9]+", name):
                self.error(f"{where}: logical ids are alphanumeric")
            if not isinstance(r, dict):
                self.error(f"{where}: not a mapping")
                continue
            for key in r:
                if key not in RESOURCE_KEYS:
                    self.error(f"{where}: unknown resource attribute {key!r}")
            rtype = r.get("Type")
            if not isinstance(rtype, str) or not re.fullmatch(r"(AWS|Custom|Alexa)::[A-Za-z0-9]+(::[A-Za-z0-9]+)*|Custom::.+", rtype):
                self.error(f"{where}: Type {rtype!r} is not a resource type")
            if "Properties" in r and not isinstance(r["Properties"], dict):
                self.error(f"{where}: Properties is not a mapping")
            active = frozenset()
            cond = r.get("Condition")
            if cond is not None:
                if cond not in self.conditions:
                    self.error(f"{where}: Condition {cond!r} is not defined")
                self.used_conditions.add(cond)
                active = frozenset([cond])
            depends = r.get("DependsOn", [])
            for target in [depends] if isinstance(depends, str) else depends:
                if target not in self.resources:
                    self.error(f"{where}: DependsOn {target!r} is not a resource")
                    continue
                if target == name:
                    self.error(f"{where}: DependsOn itself")
                self.edges[name].add(target)
                tcond = self.resources[target].get("Condition") if isinstance(self.resources[target], dict) else None
                if tcond and tcond not in active:
                    self.error(f"{where}: DependsOn {target}, which exists only when {tcond}")
            for section in ("Properties", "Metadata", "CreationPolicy", "UpdatePolicy"):
                if section in r:
                    self.walk(r[section], f"{where}/{section}", owner=name, active=active)
            for policy in ("DeletionPolicy", "UpdateReplacePolicy"):
                if policy in r and r[policy] not in ("Delete", "Retain", "Snapshot", "RetainExceptOnCreate"):
                    self.error(f"{where}: {policy} {r[policy]!r} is not valid")

    # -- outputs
    def check_outputs(self):
        outputs = self.t.get("Outputs") or {}
        if len(outputs) > 200:
            self.error("more than 200 outputs")
        for name, o in outputs.items():
            where = f"Outputs/{name}"
            if not isinstance(o, dict) or "Value" not in o:
                self.error(f"{where}: needs a Value")
                continue
            active = frozenset()
            if "Condition" in o:
                if o["Condition"] not in self.conditions:
                    self.error(f"{where}: Condition {o['Condition']!r} is not defined")
                self.used_conditions.add(o["Condition"])
                active = frozenset([o["Condition"]])
            self.walk(o, where, owner=None, active=active)

    # -- the walk over values
    def ref_target(self, target, where, owner, active, in_conditions, via):
        if not isinstance(target, str):
            self.error(f"{where}: {via} target {target!r} is not a name")
            return
        if target in PSEUDO:
            if in_conditions and target == "AWS::NoValue":
                self.error(f"{where}: AWS::NoValue inside Conditions")
            return
        if target in self.params:
            self.used_params.add(target)
            return
        if target in self.resources:
            if in_conditions:
                self.error(f"{where}: Conditions may reference parameters only, not resource {target}")
                return
            self.resource_used(target, where, owner, active, via)
            return
        self.error(f"{where}: {via} {target!r} is not a resource, parameter or pseudo parameter")

    def resource_used(self, target, where, owner, active, via):
        if owner is not None:
            if target == owner:
                self.error(f"{where}: {via} {target} references the resource itself")
            else:
                self.edges[owner].add(target)
        r = self.resources[target]
        tcond = r.get("Condition") if isinstance(r, dict) else None
        if tcond and tcond not in active:
            self.error(f"{where}: {via} {target}, which exists only when {tcond}; "
                       f"guard it with !If [{tcond}, ...] or give the referrer that Condition")

    def walk(self, node, where, owner, active, in_conditions=False):
        if isinstance(node, list):
            for i, item in enumerate(node):
                self.walk(item, f"{where}/{i}", owner, active, in_conditions)
            return
        if not isinstance(node, dict):
            return
        if len(node) == 1:
            (key, value), = node.items()
            if key == "Ref":
                self.ref_target(value, where, owner, active, in_conditions, "Ref")
                return
            if key == "Fn::GetAtt":
                if isinstance(value, str):
                    value = value.split(".", 1)
                if not isinstance(value, list) or len(value) != 2:
                    self.error(f"{where}: Fn::GetAtt needs [Resource, Attribute]")
                    return
                res, attr = value
                if isinstance(attr, dict):
                    self.walk(attr, where, owner, active, in_conditions)
                if res not in self.resources:
                    self.error(f"{where}: Fn::GetAtt {res!r} is not a resource")
                    return
                self.resource_used(res, where, owner, active, "Fn::GetAtt")
                return
            if key == "Fn::Sub":
                if isinstance(value, str):
                    text, local = value, {}
                elif isinstance(value, list) and len(value) == 2 and isinstance(value[0], str) \
                        and isinstance(value[1], dict):
                    text, local = value
                    self.walk(local, where, owner, active, in_conditions)
                else:
                    self.error(f"{where}: Fn::Sub needs a string or [string, {{variables}}]")
                    return
                for var in sub_variables(text):
                    if var in local:
                        continue
                    if "." in var and var.split(".", 1)[0] in self.resources:
                        self.resource_used(var.split(".", 1)[0], where, owner, active, "Fn::Sub ${%s}" % var)
                    else:
                        self.ref_target(var, where, owner, active, in_conditions, "Fn::Sub ${%s}" % var)
                return
            if key == "Fn::If":
                if not isinstance(value, list) or len(value) != 3:
                    self.error(f"{where}: Fn::If needs [Condition, IfTrue, IfFalse]")
                    return
                cond = value[0]
                if cond not in self.conditions:
                    self.error(f"{where}: Fn::If condition {cond!r} is not defined")
                self.used_conditions.add(cond)
                self.walk(value[1], f"{where}/Fn::If[true]", owner, active | {cond}, in_conditions)
                self.walk(value[2], f"{where}/Fn::If[false]", owner, active, in_conditions)
                return
            if key == "Condition" and in_conditions:
                if value not in self.conditions:
                    self.error(f"{where}: Condition {value!r} is not defined")
                self.used_conditions.add(value)
                return
            if key == "Fn::FindInMap":
                mappings = self.t.get("Mappings") or {}
                if isinstance(value, list) and value and isinstance(value[0], str) and value[0] not in mappings:
                    self.error(f"{where}: Fn::FindInMap map {value[0]!r} is not in Mappings")
        for key, value in node.items():
            self.walk(value, f"{where}/{key}", owner, active, in_conditions)

    # -- cycles
    def check_cycles(self):
        white, grey, black = 0, 1, 2
        colour = {n: white for n in self.edges}
        stack = []

        def visit(n):
            colour[n] = grey
            stack.append(n)
            for m in sorted(self.edges[n]):
                if colour[m] == grey:
                    cycle = stack[stack.index(m):] + [m]
                    self.error("circular dependency: " + " -> ".join(cycle))
                elif colour[m] == white:
                    visit(m)
            stack.pop()
            colour[n] = black

        sys.setrecursionlimit(max(1000, 4 * len(self.edges) + 100))
        for n in sorted(self.edges):
            if colour[n] == white:
                visit(n)

    # -- dart's contract
    def dart_containers(self):
        """{container name: (task definition resource, container)} of dart's containers in the template."""
        containers = {}
        for name, r in self.resources.items():
            if isinstance(r, dict) and r.get("Type") == "AWS::ECS::TaskDefinition":
                for c in (r.get("Properties") or {}).get("ContainerDefinitions") or []:
                    if isinstance(c, dict) and c.get("Name") in DART_CONTAINERS:
                        containers[c["Name"]] = (name, c)
        return containers

    def check_dart_contract(self):
        containers = self.dart_containers()
        if not containers:
            return  # not the dart template (e.g. the self-test's snippets)
        for cname in DART_CONTAINERS:
            if cname not in containers:
                self.error(f"no task definition has a container named {cname!r}")
        self.check_containers(containers)
        self.check_roles(containers)
        self.check_engine_worker_count(containers)
        for name, r in self.resources.items():
            if isinstance(r, dict) and r.get("Type") == "AWS::ElasticLoadBalancingV2::TargetGroup":
                props = r.get("Properties") or {}
                if props.get("HealthCheckPath") != "/health" or str(props.get("Port")) != "5000":
                    self.error(f"Resources/{name}: the target group should check /health on port 5000")
        self.check_idle_timeout()
        self.check_notification_cycle()

    def check_containers(self, containers):
        for cname, (res, c) in containers.items():
            where = f"Resources/{res}/{cname}"
            env = {}
            for e in c.get("Environment") or []:
                for branch in _branches(e):
                    env[branch.get("Name")] = branch.get("Value")
            names = set(env)
            for s in c.get("Secrets") or []:
                names.update(n.get("Name") for n in _branches(s))
            required, optional = PROCESS_ENV[cname]
            missing = (COMMON_ENV | required) - names
            if missing:
                self.error(f"{where}: missing environment {sorted(missing)}")
            unread = names - COMMON_ENV - required - COMMON_OPTIONAL_ENV - optional
            if unread:
                self.error(f"{where}: {cname} does not read {sorted(unread)}")
            if env.get("DART_LOG_FORMAT") not in (None, "json"):
                self.error(f"{where}: DART_LOG_FORMAT should be json in AWS")
            if "MICRONAUT_SERVER_PORT" in env and str(env["MICRONAUT_SERVER_PORT"]) != "5000":
                self.error(f"{where}: MICRONAUT_SERVER_PORT should be 5000")
            for region_var in ("DART_AWS_REGION", "AWS_REGION"):
                if region_var in env and env[region_var] != {"Ref": "AWS::Region"}:
                    self.error(f"{where}: {region_var} should be !Ref AWS::Region (SQS and ECS of the stack)")
            api_url = env.get("DART_API_URL")
            if api_url is not None and ("http" not in repr(api_url) or "LoadBalancer" not in repr(api_url)):
                self.error(f"{where}: DART_API_URL should be the load balancer's URL with its scheme")
            command = DART_CONTAINERS[cname]
            if command is not None:
                if c.get("Command") != command:
                    self.error(f"{where}: Command should be {command}")
                if c.get("PortMappings"):
                    self.error(f"{where}: a worker has no port")
            else:
                ports = [p.get("ContainerPort") for p in c.get("PortMappings") or []]
                if ports != [5000]:
                    self.error(f"{where}: the API container should map port 5000 only")

    def check_roles(self, containers):
        """ecs:RunTask, ecs:DescribeTasks, ecs:StopTask and iam:PassRole: the engine worker's role, and only it."""
        for cname, (res, _) in containers.items():
            role_ref = (self.resources[res].get("Properties") or {}).get("TaskRoleArn")
            role = role_ref.get("Fn::GetAtt", [None])[0] if isinstance(role_ref, dict) else None
            if role not in self.resources:
                self.error(f"Resources/{res}: TaskRoleArn should be !GetAtt <a role of the template>.Arn")
                continue
            actions = set()
            for policy in (self.resources[role].get("Properties") or {}).get("Policies") or []:
                for st in ((policy or {}).get("PolicyDocument") or {}).get("Statement") or []:
                    if isinstance(st, dict) and st.get("Effect") == "Allow":
                        a = st.get("Action", [])
                        actions.update([a] if isinstance(a, str) else a)
            launch = {a for a in actions if a in ENGINE_LAUNCH_ACTIONS or a in ("ecs:*", "iam:*", "*")}
            if cname == ENGINE_WORKER:
                lacking = ENGINE_LAUNCH_ACTIONS - actions
                if lacking:
                    self.error(f"Resources/{role}: the engine worker needs {sorted(lacking)}")
            elif launch:
                self.error(f"Resources/{role}: only the engine worker launches engine tasks; {cname} should not "
                           f"have {sorted(launch)}")

    def check_engine_worker_count(self, containers):
        """At least one engine worker: it sweeps lost work even when no engine is launched."""
        if ENGINE_WORKER not in containers:
            return
        task_def = containers[ENGINE_WORKER][0]
        services = [(n, r) for n, r in self.resources.items() if isinstance(r, dict)
                    and r.get("Type") == "AWS::ECS::Service"
                    and (r.get("Properties") or {}).get("TaskDefinition") == {"Ref": task_def}]
        if not services:
            self.error(f"no AWS::ECS::Service runs {task_def}")
        for n, r in services:
            if r.get("Condition"):
                self.error(f"Resources/{n}: the engine worker service must always exist (no Condition)")
            count = (r.get("Properties") or {}).get("DesiredCount")
            if isinstance(count, dict) and "Ref" in count and count["Ref"] in self.params:
                p = self.params[count["Ref"]]
                if float(p.get("MinValue", 0)) < 1:
                    self.error(f"Parameters/{count['Ref']}: MinValue should be 1 (at least one engine worker)")
            elif not (isinstance(count, int) and count >= 1):
                self.error(f"Resources/{n}: DesiredCount should be at least 1")

    def check_idle_timeout(self):
        for name, r in self.resources.items():
            if not (isinstance(r, dict) and r.get("Type") == "AWS::ElasticLoadBalancingV2::LoadBalancer"):
                continue
            attrs = {a.get("Key"): a.get("Value") for a in (r.get("Properties") or {}).get("LoadBalancerAttributes")
                     or [] if isinstance(a, dict)}
            value = attrs.get("idle_timeout.timeout_seconds", "60")  # the ALB's default
            try:
                seconds = int(str(value))
            except ValueError:
                continue
            if seconds < 60 or seconds <= LONG_POLL_SECONDS:
                self.error(f"Resources/{name}: idle_timeout.timeout_seconds {seconds} would cut the "
                           f"{LONG_POLL_SECONDS}-second long polls of pull-mode engines; use at least 60")

    def check_notification_cycle(self):
        policies = {}
        for name, r in self.resources.items():
            if isinstance(r, dict) and r.get("Type") == "AWS::SQS::QueuePolicy":
                for q in (r.get("Properties") or {}).get("Queues") or []:
                    if isinstance(q, dict) and "Ref" in q:
                        policies[q["Ref"]] = name
        for name, r in self.resources.items():
            if not (isinstance(r, dict) and r.get("Type") == "AWS::S3::Bucket"):
                continue
            props = r.get("Properties") or {}
            queue_configs = (props.get("NotificationConfiguration") or {}).get("QueueConfigurations") or []
            depends = r.get("DependsOn", [])
            depends = [depends] if isinstance(depends, str) else depends
            for qc in queue_configs:
                queue = qc.get("Queue")
                qname = queue.get("Fn::GetAtt", [None])[0] if isinstance(queue, dict) else None
                policy = policies.get(qname)
                if policy is None:
                    self.error(f"Resources/{name}: notifies queue {qname} but no AWS::SQS::QueuePolicy lets S3 send to it")
                    continue
                if policy not in depends:
                    self.error(f"Resources/{name}: must DependsOn {policy} (S3 checks the queue policy when "
                               "the notification is configured)")
                if name in self.edges.get(policy, ()):
                    self.error(f"Resources/{policy}: references bucket {name}; build the bucket ARN from its "
                               "fixed name instead, or the stack has a circular dependency")
                bucket_name = props.get("BucketName")
                bucket_sub = bucket_name.get("Fn::Sub") if isinstance(bucket_name, dict) else bucket_name
                policy_text = repr(self.resources[policy].get("Properties"))
                if not isinstance(bucket_sub, str) or ("s3:::" + bucket_sub) not in policy_text:
                    self.error(f"Resources/{policy}: aws:SourceArn should be arn:...:s3:::{bucket_sub} "
                               f"(the fixed name of {name})")


def _branches(node):
    """The mappings a list item can be: itself, or both branches of an Fn::If."""
    if isinstance(node, dict) and list(node) == ["Fn::If"]:
        out = []
        for branch in node["Fn::If"][1:]:
            out.extend(_branches(branch))
        return out
    if isinstance(node, dict) and "Name" in node:
        return [node]
    return []


# ------------------------------------------------------------------ driver

def check_text(text):
    """Returns (errors, warnings) for a template given as YAML text."""
    problems = []
    try:
        problems = find_anchors(text)
        template = yaml.load(text, Loader=TemplateLoader)
    except yaml.YAMLError as e:
        return [f"YAML: {e}"], []
    checker = Checker(template, len(text.encode("utf-8"))).run()
    return problems + checker.errors, checker.warnings


def run_cfn_lint(path):
    exe = shutil.which("cfn-lint")
    if exe is None:
        print("cfn-lint: not installed, skipped")
        return 0
    proc = subprocess.run([exe, "--", path], capture_output=True, text=True)
    out = (proc.stdout + proc.stderr).strip()
    print(f"cfn-lint ({exe}): exit {proc.returncode}" + (f"\n{out}" if out else ", no findings"))
    # cfn-lint exit codes are bit flags: 2 error, 4 warning, 8 informational
    return 1 if proc.returncode & 2 or proc.returncode & 1 else 0


def _dart_snippet(container, env=(), actions=(), command=None, extra=""):
    """A template with one dart container (all common variables set) whose task role allows `actions`."""
    env_items = ", ".join(["{Name: %s, Value: %s}" % (n, "json" if n == "DART_LOG_FORMAT" else "x")
                           for n in sorted(COMMON_ENV - {"DART_AWS_REGION", "AWS_REGION"})]
                          + ["{Name: DART_AWS_REGION, Value: !Ref AWS::Region}",
                             "{Name: AWS_REGION, Value: !Ref AWS::Region}"] + list(env))
    command = command if command is not None else DART_CONTAINERS[container]
    cmd = ", PortMappings: [{ContainerPort: 5000}]" if command is None else ", Command: [%s]" % ", ".join(command)
    return f"""
Resources:
  Role: {{Type: AWS::IAM::Role, Properties: {{AssumeRolePolicyDocument: {{}}, Policies: [{{PolicyName: p,
    PolicyDocument: {{Statement: [{{Effect: Allow, Action: [{", ".join(actions) or "s3:GetObject"}], Resource: "*"}}]}}}}]}}}}
  Td: {{Type: AWS::ECS::TaskDefinition, Properties: {{TaskRoleArn: !GetAtt Role.Arn,
    ContainerDefinitions: [{{Name: {container}{cmd}, Environment: [{env_items}]}}]}}}}
{extra}"""


SELF_TESTS = {
    "clean": ("", """
Parameters: {P: {Type: String, Default: "a", AllowedValues: [a, b]}}
Conditions: {C: !Equals [!Ref P, a]}
Resources:
  A: {Type: AWS::SQS::Queue}
  B: {Type: AWS::SQS::Queue, Condition: C, Properties: {QueueName: !Sub "${A.QueueName}-x"}}
  D: {Type: AWS::SNS::Topic, Properties: {TopicName: !If [C, !GetAtt B.QueueName, !Ref "AWS::NoValue"]}}
Outputs: {O: {Value: !Ref A}}
"""),
    "missing ref": ("is not a resource, parameter", """
Resources:
  A: {Type: AWS::SQS::Queue, Properties: {QueueName: !Ref Nope}}
"""),
    "missing sub var": ("is not a resource, parameter", """
Resources:
  A: {Type: AWS::SQS::Queue, Properties: {QueueName: !Sub "${Nope}-q"}}
"""),
    "getatt on parameter": ("is not a resource", """
Parameters: {P: {Type: String}}
Resources:
  A: {Type: AWS::SQS::Queue, Properties: {QueueName: !GetAtt P.Arn}}
"""),
    "undefined condition": ("is not defined", """
Resources:
  A: {Type: AWS::SQS::Queue, Properties: {QueueName: !If [Nope, a, b]}}
"""),
    "dependson missing": ("is not a resource", """
Resources:
  A: {Type: AWS::SQS::Queue, DependsOn: Nope}
"""),
    "cycle": ("circular dependency", """
Resources:
  A: {Type: AWS::SQS::Queue, Properties: {QueueName: !GetAtt B.QueueName}}
  B: {Type: AWS::SQS::Queue, DependsOn: A}
"""),
    "conditional ref unguarded": ("exists only when", """
Parameters: {P: {Type: String, Default: ""}}
Conditions: {C: !Equals [!Ref P, ""]}
Resources:
  A: {Type: AWS::SQS::Queue, Condition: C}
  B: {Type: AWS::SQS::Queue, Properties: {QueueName: !GetAtt A.QueueName}}
"""),
    "alias": ("alias", """
Resources:
  A: {Type: AWS::SQS::Queue, Properties: &p {QueueName: x}}
  B: {Type: AWS::SQS::Queue, Properties: *p}
"""),
    "duplicate key": ("duplicate key", """
Resources:
  A: {Type: AWS::SQS::Queue}
  A: {Type: AWS::SNS::Topic}
"""),
    "bad default": ("not in AllowedValues", """
Parameters: {P: {Type: String, Default: c, AllowedValues: [a, b]}}
Resources:
  A: {Type: AWS::SQS::Queue, Properties: {QueueName: !Ref P}}
"""),
    "notification without DependsOn": ("must DependsOn", """
Resources:
  Q: {Type: AWS::SQS::Queue}
  QP: {Type: AWS::SQS::QueuePolicy, Properties: {Queues: [!Ref Q], PolicyDocument: {Statement: [{Condition: {ArnLike: {"aws:SourceArn": !Sub "arn:aws:s3:::${AWS::StackName}-b"}}}]}}}
  Bk: {Type: AWS::S3::Bucket, Properties: {BucketName: !Sub "${AWS::StackName}-b", NotificationConfiguration: {QueueConfigurations: [{Event: "s3:ObjectCreated:*", Queue: !GetAtt Q.Arn}]}}}
"""),
    # dart's contract (a snippet with one dart container also reports the other containers as missing)
    "contract: api reads no queue URL": ("api does not read ['DART_QUEUE_TRIGGER_URL']", _dart_snippet(
        "api", ["{Name: MICRONAUT_SERVER_PORT, Value: '5000'}", "{Name: DART_QUEUE_TRIGGER_URL, Value: x}"])),
    "contract: region is the stack's": ("DART_AWS_REGION should be !Ref AWS::Region", _dart_snippet(
        "api", ["{Name: MICRONAUT_SERVER_PORT, Value: '5000'}"]).replace(
        "{Name: DART_AWS_REGION, Value: !Ref AWS::Region}", "{Name: DART_AWS_REGION, Value: us-east-1}")),
    "contract: variables under Fn::If count": ("missing environment ['DART_QUEUE_TRIGGER_URL']", _dart_snippet(
        "trigger-worker", ["!If [C, {Name: DART_SMTP_HOST, Value: x}, !Ref AWS::NoValue]"]).replace(
        "Resources:", "Conditions: {C: !Equals [a, a]}\nResources:")),
    "contract: trigger worker launches nothing": ("only the engine worker launches engine tasks", _dart_snippet(
        "trigger-worker", ["{Name: DART_QUEUE_TRIGGER_URL, Value: x}"], ["ecs:RunTask", "iam:PassRole"])),
    "contract: engine worker may launch": ("needs ['ecs:StopTask']", _dart_snippet(
        "engine-worker", ["{Name: DART_API_URL, Value: !Sub 'http://${LoadBalancer.DNSName}'}",
                          "{Name: DART_ECS_CLUSTER, Value: x}"], ["ecs:RunTask", "ecs:DescribeTasks", "iam:PassRole"],
        extra="  LoadBalancer: {Type: AWS::ElasticLoadBalancingV2::LoadBalancer}")),
    "contract: engine worker at least one": ("MinValue should be 1", _dart_snippet(
        "engine-worker", ["{Name: DART_API_URL, Value: !Sub 'http://${LoadBalancer.DNSName}'}",
                          "{Name: DART_ECS_CLUSTER, Value: x}"], sorted(ENGINE_LAUNCH_ACTIONS),
        extra="  LoadBalancer: {Type: AWS::ElasticLoadBalancingV2::LoadBalancer}\n"
              "  Svc: {Type: AWS::ECS::Service, Properties: {TaskDefinition: !Ref Td, DesiredCount: !Ref N}}\n"
              "Parameters: {N: {Type: Number, Default: 1, MinValue: 0}}")),
    "contract: idle timeout outlasts long polls": ("would cut the 50-second long polls", _dart_snippet(
        "subscription-worker", extra="  Lb: {Type: AWS::ElasticLoadBalancingV2::LoadBalancer, Properties: "
        "{LoadBalancerAttributes: [{Key: idle_timeout.timeout_seconds, Value: '30'}]}}")),
}


def self_test():
    failed = 0
    for name, (expect, text) in SELF_TESTS.items():
        errors, _ = check_text(text)
        if name == "notification without DependsOn":
            # the dart contract checks run only on a template with dart's containers: run that part directly
            template = yaml.load(text, Loader=TemplateLoader)
            checker = Checker(template, len(text)).run()
            checker.check_notification_cycle()
            errors = checker.errors
        ok = (not errors) if not expect else any(expect in e for e in errors)
        failed += not ok
        print(f"{'ok  ' if ok else 'FAIL'} {name}" + ("" if ok else f": {errors}"))
    print(f"{len(SELF_TESTS) - failed} passed, {failed} failed")
    return 1 if failed else 0


def main(argv):
    if "--self-test" in argv:
        return self_test()
    args = [a for a in argv if not a.startswith("--")]
    path = args[0] if args else os.path.join(os.path.dirname(os.path.abspath(__file__)), "dart.yaml")
    with open(path, encoding="utf-8") as f:
        text = f.read()
    errors, warnings = check_text(text)
    for w in warnings:
        print(f"warning: {w}")
    for e in errors:
        print(f"error: {e}")
    print(f"{path}: {len(errors)} errors, {len(warnings)} warnings")
    rc = 1 if errors else 0
    if "--no-cfn-lint" not in argv:
        rc |= run_cfn_lint(path)
    return rc


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
