"""PG204: the registry secret's value is not a JSON object with non-empty string username and password.

The value itself never reaches pullguard's model: only its shape (``Redacted.summary``, see
``parse/redact.py``). Messages name fields and kinds, never any part of the value.
"""
from ...evaluate.secret_access import names_a_secret, secret_instance, secret_versions
from ...parse.redact import secret_summary
from ...values import Redacted, Unknown, describe
from ..base import Rule, Severity, fail, passed, undecided
from ..common import has_credentials, per_container

FIX = ("Store the registry login as a JSON object with non-empty string fields, e.g. "
       "`secret_string = jsonencode({ username = var.registry_user, password = var.registry_token })`, "
       "in `secret_string` (not `secret_binary`).")
KINDS = {"not-json": "is not JSON", "json-list": "is a JSON array, not an object",
         "json-str": "is a JSON string, not an object", "json-int": "is a JSON number, not an object",
         "json-float": "is a JSON number, not an object", "json-bool": "is a JSON boolean, not an object",
         "json-NoneType": "is JSON null, not an object", "not-a-string": "is not a string"}
FIELD = {"missing": "has no `{}`", "empty": "has an empty `{}`", "not-a-string": "has a `{}` that is not a string"}
CURRENT = "AWSCURRENT"
# the ECS agent's errors (aws/amazon-ecs-agent, agent/asm/asm.go)
EMPTY = "asm fetching authorization data: empty secrets value"
SCHEMA = "asm fetching authorization data: unable to unmarshal secret value, invalid schema"
MALFORMED = "asm fetching {}: AuthorizationData is malformed, empty field"


def _configured(snapshot, version, attribute):
    """True/False: the configuration sets ``attribute``; None: the configuration is not known."""
    config = getattr(snapshot, "config", None)
    if config is None or config.resource_config(version.module, version.mode, version.type, version.name) is None:
        return None
    return config.expression(version.module, version.mode, version.type, version.name, attribute) is not None


def shape(snapshot, version):
    """("ok" | "bad" | "open", words)."""
    binary = version.get("secret_binary")
    # state holds "" for an unset secret_binary, and the plan marks it sensitive: ask the configuration
    set_binary = _configured(snapshot, version, "secret_binary")
    if set_binary is None:
        set_binary = binary not in (None, "") and not (
            isinstance(binary, Redacted) and isinstance(version.get("secret_string"), Redacted)
            and (version.get("secret_string").summary or {}).get("kind") == "json-object")
    if set_binary:
        if isinstance(binary, Unknown):
            return "open", f"{binary.fact} (known after apply)", ""
        return "bad", "is stored as `secret_binary` (the agent reads `SecretString` only)", EMPTY
    wo = version.get("secret_string_wo_version")
    if _configured(snapshot, version, "secret_string_wo") or wo not in (None, "") \
            or version.get("has_secret_string_wo") is True:
        return "open", f"{version.address}.secret_string_wo (write-only: never in the plan)", ""
    value = version.get("secret_string")
    if isinstance(value, Redacted):
        if not isinstance(value.summary, dict):
            return "open", f"the shape of {version.address}.secret_string (not recorded)", ""
        return judge_summary(value.summary)
    if isinstance(value, str) and value:  # an unmasked value (old plan format): only its shape is kept
        return judge_summary(secret_summary(value))
    if value in (None, ""):
        return "open", f"{version.address}.secret_string (not in the plan)", ""
    return "open", f"{getattr(value, 'fact', version.address + '.secret_string')} (known after apply)", ""


def judge_summary(summary: dict):
    """(status, words, the agent's error) for a value's shape."""
    if summary.get("kind") == "json-NoneType":  # Go decodes null into the struct without error: no username
        return "bad", KINDS["json-NoneType"], MALFORMED.format("username")
    if summary.get("kind") != "json-object":
        return "bad", KINDS.get(summary.get("kind"), "is not a JSON object"), SCHEMA
    fields = summary.get("fields") or {}
    wrong = [FIELD[fields.get(k)].format(k) for k in ("username", "password") if fields.get(k) in FIELD]
    if not wrong:
        return "ok", "", ""
    if "not-a-string" in (fields.get("username"), fields.get("password")):
        error = SCHEMA  # Go cannot unmarshal a number or an object into a string field
    else:
        error = MALFORMED.format("username" if fields.get("username") != "ok" else "password")
    return "bad", "is a JSON object that " + " and ".join(wrong), error


def _current(versions):
    out = []
    for v in versions:
        stages = v.get("version_stages")
        if stages is None or isinstance(stages, Unknown) or (isinstance(stages, list) and CURRENT in stages) \
                or (isinstance(stages, list) and not stages):
            out.append(v)
    return out or list(versions)


def _one(snapshot, td, c):
    if not has_credentials(c):
        yield passed(td.address, c.name)
        return
    value = c.credentials_parameter
    if not names_a_secret(value):
        yield passed(td.address, c.name)  # not a secret at all: PG202's finding
        return
    secret = secret_instance(snapshot, value, td)
    if secret is None:
        yield undecided(td.address, f"the value of secret {describe(value)} (not in the plan)",
                        f"the registry secret of container `{c.name}` is not in the plan: its value's shape is not "
                        "known", container=c.name)
        return
    versions, open_ = secret_versions(snapshot, secret)
    if not versions:
        fact = (f"the value of {secret.address} (no aws_secretsmanager_secret_version in the plan)" if not open_
                else f"whether {', '.join(v.address for v in open_)} holds the value of {secret.address}")
        yield undecided(td.address, fact, f"the value of `{secret.address}` (registry credentials of container "
                        f"`{c.name}`) is not in the plan", container=c.name, evidence=(td.address, secret.address))
        return
    results = [(v, *shape(snapshot, v)) for v in _current(versions)]
    evidence = (td.address, secret.address, *(r[0].address for r in results))
    bad = [r for r in results if r[1] == "bad"]
    if bad and len(bad) == len(results):
        v, _, words, error = bad[0]
        yield fail(td.address,
                   f"container `{c.name}`: the value of registry secret `{secret.address}` (from `{v.address}`) "
                   f"{words}; the agent needs a JSON object with non-empty string `username` and `password` and "
                   f"fails with `{error}`", FIX, c.name, evidence)
    elif all(r[1] == "ok" for r in results):
        yield passed(td.address, c.name, evidence)
    else:
        facts = [r[2] for r in results if r[1] == "open"] or ["which version of the secret is current"]
        yield undecided(td.address, "; ".join(facts), f"the shape of the value of `{secret.address}` (registry "
                        f"credentials of container `{c.name}`) is not known before apply", container=c.name,
                        evidence=evidence)


def check(snapshot, settings):
    return per_container(snapshot, lambda td, c: _one(snapshot, td, c), "the registry secret's value")


RULE = Rule("PG204", "registry secret value is not {username, password}", Severity.ERROR, check)
