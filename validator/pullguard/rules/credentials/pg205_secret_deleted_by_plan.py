"""PG205: this plan deletes (without replacing) a secret that a task definition which stays or is
created refers to (``repositoryCredentials``, a Secrets Manager ``secrets[].valueFrom``, or a Parameter
Store parameter a ``secrets[].valueFrom`` names: the agent's GetParameters fails with "invalid
parameters" just as GetSecretValue fails for a deleted secret).

What a plan deletes is absent from the planned snapshot; it is read from the prior snapshot
(``evaluate.secret_access.deleted_in_plan``). Run on the prior snapshot, the rule finds nothing
deleted, so a finding is always ``new``.

A replaced secret (a changed ``name`` forces it) is deleted too, for a task definition that keeps
naming the old one: the replacement gets a new ARN (new random suffix), and a new name when the name
changed. A reference that follows the replacement (``.arn``, ``.id``) passes; a bare name or a full
ARN that the replacement no longer answers to fails.

Deleting an ``aws_secretsmanager_secret_version`` while the secret stays is not a failure, though
the catalog once said "or its only version": Secrets Manager has no call that deletes a version,
and the AWS provider's delete only removes staging labels, skipping ``AWSCURRENT`` (its
documentation: the label "will leave this secret version active even after the resource is
deleted"). The only version of a secret always holds ``AWSCURRENT`` (PutSecretValue attaches it to
a secret's first version), so the value stays readable.

A plan that deletes or replaces no secret and deletes no parameter (every first plan) passes every
task definition at once, even one whose container definitions or ``valueFrom`` are known only after
apply: there is nothing for it to lose.
"""
from ...evaluate.secret_access import (
    container_secrets,
    deleted_in_plan,
    is_bare_name,
    parameter_instance,
    SSM_ARN,
    prior_snapshot,
    same_place,
    secret_candidates,
    secret_instance,
)
from ...model.ecs import task_definitions
from ...values import Partial, Redacted, Unknown, describe
from ..base import Rule, Severity, fail, passed, undecided
from ..common import per_container
from ..kms.pg404_key_disabled_or_deleted import secret_refs

FIX = ("Keep the secret while a task definition refers to it: remove the reference "
       "from `container_definitions` in the same change, or point it at the secret that replaces it.")


def _replaced(snapshot) -> dict:
    """{address: replacement} of the secrets this plan replaces, whose replacement's name is known."""
    if getattr(snapshot, "name", None) != "planned" or prior_snapshot(snapshot) is None:
        return {}
    if "pg205.replaced" not in snapshot.cache:
        snapshot.cache["pg205.replaced"] = {
            i.address: snapshot.get(i.address) for i in prior_snapshot(snapshot).of_type("aws_secretsmanager_secret")
            if i.action == "replace" and isinstance((snapshot.get(i.address) or {}).get("name"), str)}
    return snapshot.cache["pg205.replaced"]


def deleted_secret(snapshot, td, value):
    """The prior secret ``value`` names that this plan deletes, or replaces by one ``value`` does not
    name (a new ARN; a new name), else None."""
    replaced = _replaced(snapshot)
    if not deleted_in_plan(snapshot, "aws_secretsmanager_secret") and not replaced:
        return None
    prior = prior_snapshot(snapshot)
    named_now = {h.address for h in secret_candidates(snapshot, value)}
    hits = [h for h in secret_candidates(prior, value)
            if (h.action == "delete" and h.address not in snapshot)
            or (h.address in replaced and h.address not in named_now)]
    if is_bare_name(value):  # a name resolves in the task's own region and account
        hits = [h for h in hits if same_place(prior, td.instance, h) is True]
    return hits[0] if len(hits) == 1 else None


def _how(snapshot, gone) -> tuple:
    """(what the plan does to the secret, how the task definition's reference is called)."""
    new = _replaced(snapshot).get(gone.address)
    if new is None:
        return f"this plan deletes secret `{gone.address}`", "it"
    changed = f"one named `{new.get('name')}`" if new.get("name") != gone.get("name") else "one with a new ARN"
    return f"this plan replaces secret `{gone.address}` by {changed}", "the old one"


def deleted_parameter(snapshot, td, value):
    """The ``aws_ssm_parameter`` this plan deletes (not replaces) that a ``valueFrom`` names, else None.
    A name resolves in the task's own region."""
    if not isinstance(value, str) or not value or not deleted_in_plan(snapshot, "aws_ssm_parameter"):
        return None
    m = SSM_ARN.match(value)
    if value.startswith("arn:") and not m:
        return None
    if parameter_instance(snapshot, value) is not None:
        return None
    gone = parameter_instance(prior_snapshot(snapshot), value)
    if gone is None or gone.action != "delete" or gone.address in snapshot:
        return None
    region = m.group(1) if m else td.instance.region
    return gone if gone.region in (None, region) else None


def _parameters(snapshot, td, c):
    for s in container_secrets(c):
        gone = deleted_parameter(snapshot, td, s.get("valueFrom"))
        if gone is not None:
            return fail(td.address,
                        f"container `{c.name}`: this plan deletes SSM parameter `{gone.address}` (secret "
                        f"`{s.get('name')}`: {s.get('valueFrom')}) while `{td.address}` still refers to it; new "
                        "tasks will fail to read it (invalid parameters)", FIX, c.name, (td.address, gone.address))
    return None


def _judge(snapshot, td, c, what, value):
    if isinstance(value, (Unknown, Partial, Redacted)):
        return undecided(td.address, getattr(value, "fact", str(value)),
                         f"the {what} of container `{c.name}` is {describe(value)}", container=c.name)
    secret = secret_instance(snapshot, value, td)
    if secret is None:
        gone = deleted_secret(snapshot, td, value)
        if gone is not None:
            done, it = _how(snapshot, gone)
            return fail(td.address,
                        f"container `{c.name}`: {done} ({what}: {describe(value)}) while `{td.address}` still "
                        f"refers to {it}; new tasks will fail to read it (ResourceNotFoundException)",
                        FIX, c.name, (td.address, gone.address))
        return passed(td.address, c.name)
    return passed(td.address, c.name, (td.address, secret.address))


def _one(snapshot, td, c):
    gone = _parameters(snapshot, td, c)
    if gone is not None:
        yield gone
        return
    refs = secret_refs(c)
    if not refs:
        yield passed(td.address, c.name)
        return
    results = [_judge(snapshot, td, c, what, value) for what, value in refs]
    bad = [r for r in results if r.status == "fail"]
    open_ = [r for r in results if r.status == "undecided"]
    yield bad[0] if bad else open_[0] if open_ else results[0]


def _deletes_any(snapshot) -> bool:
    """Whether this plan deletes or replaces any secret, or deletes any parameter: else no task
    definition can lose one, whatever its container definitions hold (known or not)."""
    return bool(deleted_in_plan(snapshot, "aws_secretsmanager_secret") or _replaced(snapshot)
                or deleted_in_plan(snapshot, "aws_ssm_parameter"))


def check(snapshot, settings):
    if not _deletes_any(snapshot):
        return (passed(td.address) for td in task_definitions(snapshot))
    return per_container(snapshot, lambda td, c: _one(snapshot, td, c), "the secrets a task reads")


RULE = Rule("PG205", "plan deletes a secret a task definition uses", Severity.ERROR, check)
