"""PG404: the KMS key of a secret a task reads is disabled or deleted by this plan.

Covers the registry secret (``repositoryCredentials``) and Secrets Manager ``secrets[].valueFrom``:
a disabled key, or a key scheduled for deletion, refuses every Decrypt whoever asks.
"""
from ...evaluate.secret_access import (container_secrets, key_instance, secret_instance, secret_key,
                                       secret_reference)
from ...values import Partial, Redacted, Ref, Unknown, describe
from ..base import Rule, Severity, fail, passed, undecided
from ..common import per_container
from ._common import deleted_key

FIX = ("Keep the key enabled (`is_enabled = true`) and in the configuration while a task definition uses a "
       "secret encrypted with it; to retire the key, first re-encrypt the secret with another key "
       "(`kms_key_id`) or move the tasks to another secret.")
BAD_STATES = {"Disabled": "disabled", "PendingDeletion": "scheduled for deletion",
              "PendingReplicaDeletion": "scheduled for deletion", "Unavailable": "unavailable"}


def secret_refs(c, snapshot=None) -> list:
    """(what, value) of every Secrets Manager secret the container reads."""
    out = []
    rc = c.repository_credentials
    if rc is not None and rc != {}:
        out.append(("registry credentials", c.credentials_parameter))
    for s in (container_secrets(c) if snapshot is not None else c.secrets):  # with secretOptions
        v = s.get("valueFrom")
        if snapshot is not None:
            v = secret_reference(snapshot, v)  # "${secret.arn}:json-key::" before apply
        if isinstance(v, str) and ":secretsmanager:" not in v:
            continue  # an SSM parameter (name or ARN)
        if isinstance(v, Ref) and not v.address.split("[")[0].split(".")[-2].startswith("aws_secretsmanager"):
            continue
        out.append((f"secret `{s.get('name')}`", v))
    return out


def key_state(snapshot, inst):
    """(status, words): status "bad" | "ok" | "unknown"."""
    if inst.mode == "data":
        state, enabled = inst.get("key_state"), inst.get("enabled")
        if isinstance(state, str) and state in BAD_STATES:
            return "bad", BAD_STATES[state]
        if enabled is False:
            return "bad", "disabled"
        if isinstance(state, str) or enabled is True:
            return "ok", ""
        return "unknown", f"{inst.address}.key_state"
    enabled = inst.get("is_enabled")
    if enabled is False:
        return "bad", "disabled (`is_enabled = false`)"
    if enabled is True or enabled is None:
        return "ok", ""
    return "unknown", getattr(enabled, "fact", f"{inst.address}.is_enabled")


def _one(snapshot, td, c):
    refs = secret_refs(c, snapshot)
    if not refs:
        yield passed(td.address, c.name)
        return
    results = []
    for what, value in refs:
        results.append(_judge(snapshot, td, c, what, value))
    bad = [r for r in results if r.status == "fail"]
    open_ = [r for r in results if r.status == "undecided"]
    yield bad[0] if bad else open_[0] if open_ else passed(td.address, c.name)


def _judge(snapshot, td, c, what, value):
    if isinstance(value, (Unknown, Partial, Redacted)):
        return undecided(td.address, getattr(value, "fact", "valueFrom"),
                         f"the {what} of container `{c.name}` is {describe(value)}", container=c.name)
    secret = secret_instance(snapshot, value, td)
    if secret is None:
        return passed(td.address, c.name)  # a secret outside the plan: its key is not ours to judge (PG901)
    kv, kind = secret_key(snapshot, secret)
    if kind == "default":
        return passed(td.address, c.name)
    if kind == "unknown":
        return undecided(td.address, f"{secret.address}.kms_key_id ({describe(kv)})",
                         f"the key of `{secret.address}` is known only after apply", container=c.name)
    key = key_instance(snapshot, kv)
    evidence = (td.address, secret.address)
    if key is None:
        gone = deleted_key(snapshot, kv)
        if gone is not None:
            return fail(td.address,
                        f"container `{c.name}`: this plan deletes `{gone.address}` (KMS schedules it for deletion "
                        f"and refuses Decrypt at once), which encrypts `{secret.address}` ({what}), while "
                        f"`{td.address}` still uses that secret", FIX, c.name, evidence + (gone.address,))
        return undecided(td.address, f"the state of KMS key {describe(kv)} (not in the plan)",
                         f"whether the key {describe(kv)} of `{secret.address}` is enabled is not in the plan",
                         container=c.name, evidence=evidence)
    status, words = key_state(snapshot, key)
    evidence += (key.address,)
    if status == "bad":
        return fail(td.address,
                    f"container `{c.name}`: KMS key `{key.address}` is {words}, and it encrypts `{secret.address}` "
                    f"({what}): Secrets Manager cannot decrypt the secret, so the task cannot start",
                    FIX, c.name, evidence)
    if status == "unknown":
        return undecided(td.address, f"{words} (known after apply)",
                         f"whether `{key.address}` is enabled is known only after apply", container=c.name,
                         evidence=evidence)
    return passed(td.address, c.name, evidence)


def check(snapshot, settings):
    return per_container(snapshot, lambda td, c: _one(snapshot, td, c), "the secrets' keys")


RULE = Rule("PG404", "KMS key of a secret the task reads is disabled or deleted", Severity.ERROR, check)
