"""Which Secrets Manager secret a task reads, which KMS key encrypts it, and may the
execution role decrypt it.

Shared by the credentials (PG20x), KMS (PG40x) and startup-secrets (PG702) rules::

    inst = secret_instance(snapshot, container.credentials_parameter)   # or a secrets[].valueFrom
    key_value, kind = secret_key(snapshot, inst)   # kind: "default" | "customer" | "unknown"
    decision, evidence, missing = can_decrypt_secret(snapshot, td, value)

How Secrets Manager decrypts: ``GetSecretValue`` makes Secrets Manager call
``kms:Decrypt`` *with the caller's permissions* (a forward access session), with
``kms:ViaService = secretsmanager.<region>.amazonaws.com`` and the encryption
context ``SecretARN`` / ``SecretVersionId``.  A secret without ``kms_key_id``
uses the AWS managed key ``aws/secretsmanager``, whose key policy lets every
principal of the account use it through Secrets Manager: nothing to check.
(https://docs.aws.amazon.com/secretsmanager/latest/userguide/security-encryption.html)
"""
from __future__ import annotations

import re
from typing import Any, Optional

from ..model.arns import arn_of, partition
from ..model.iam import ResourcePolicy, key_policy
from ..model.world import Instance, Snapshot
from ..values import Hole, Partial, Redacted, Ref, Unknown
from .execution_role import resource_tags, role_can
from .iam import RESOURCE_ACCOUNT_ROOT, UNDECIDED, Context, Decision, Policy

__all__ = ["secret_instance", "secret_candidates", "secret_key", "key_instance", "key_arn",
           "can_decrypt_secret", "secret_region", "secret_account", "strip_secret_suffix",
           "prior_snapshot", "deleted_in_plan", "DEFAULT_KEY_ALIAS", "secret_versions", "decrypt_context",
           "secret_arn_value", "instance_account", "same_place", "is_bare_name", "names_a_secret",
           "secret_reference", "effective_key_policy", "parameter_key", "can_decrypt_parameter",
           "same_account", "parameter_instance", "execution_principal", "key_policy_refuses", "ANY_IDENTITY",
           "container_secrets"]

SECRET_TYPE = "aws_secretsmanager_secret"
VERSION_TYPE = "aws_secretsmanager_secret_version"
KEY_TYPE = "aws_kms_key"
ALIAS_TYPE = "aws_kms_alias"
DEFAULT_KEY_ALIAS = "alias/aws/secretsmanager"

SUFFIX = re.compile(r"-[A-Za-z0-9]{6}$")  # the random characters Secrets Manager appends to a secret's ARN
# arn:aws:secretsmanager:REGION:ACCOUNT:secret:NAME[:json-key:version-stage:version-id]
SECRET_ARN = re.compile(r"^arn:(aws[a-z-]*):secretsmanager:([^:]*):(\d{12}):secret:([^:]+)(?::.*)?$")
KEY_ARN = re.compile(r"^arn:aws[a-z-]*:kms:([^:]*):(\d{12}):key/(.+)$")
ALIAS_ARN = re.compile(r"^arn:aws[a-z-]*:kms:([^:]*):(\d{12}):(alias/.+)$")


# ---------------------------------------------------------------- secrets

def strip_secret_suffix(value: str) -> str:
    """An ECS ``valueFrom`` without ``:json-key:version-stage:version-id``."""
    m = SECRET_ARN.match(value)
    if not m:
        return value
    return value[: value.index(":secret:") + len(":secret:") + len(m.group(4))]


def secret_reference(snapshot: Snapshot, value: Any) -> Any:
    """A ``valueFrom`` written ``"${aws_secretsmanager_secret.x.arn}:json-key:stage:version"`` while
    the ARN is known only after apply is a ``Partial`` (a hole, then text): ECS reads the secret
    that ARN names, so it is returned as the ``Ref`` to that ARN. Anything else is returned as is."""
    if not isinstance(value, Partial) or not value.parts or not isinstance(value.parts[0], Hole):
        return value
    rest = value.parts[1:]
    if not all(isinstance(p, str) for p in rest) or not "".join(rest).startswith(":"):
        return value
    address, _, attribute = value.parts[0].fact.rpartition(".")
    inst = snapshot.get(address) if attribute in ("arn", "id") else None
    if inst is None or inst.type != SECRET_TYPE:
        return value
    return Ref(address, "arn")


def _secret_index(snapshot: Snapshot) -> dict:
    index = snapshot.cache.get("secret_access.secrets")
    if index is None:
        index = {"arn": {}, "name": {}, "partial": {}}
        for inst in snapshot.of_type(SECRET_TYPE):
            for attr in ("arn", "id"):
                v = inst.get(attr)
                if isinstance(v, str) and v:
                    index["arn"].setdefault(v, inst)
                    if SUFFIX.search(v):  # a partial ARN (no random suffix) names it too
                        index["partial"].setdefault(v[:-7], []).append(inst)
            name = inst.get("name")
            if isinstance(name, str) and name:
                index["name"].setdefault(name, []).append(inst)
        snapshot.cache["secret_access.secrets"] = index
    return index


def secret_region(inst: Instance) -> Optional[str]:
    return inst.region


def secret_account(snapshot: Snapshot, inst: Instance) -> Optional[str]:
    return instance_account(snapshot, inst)


def secret_candidates(snapshot: Snapshot, value: Any) -> list:
    """Every ``aws_secretsmanager_secret`` instance ``value`` may name (a ``Ref``, an ARN with or
    without the ECS suffix, a partial ARN, a name). A bare name may match secrets of several
    regions or accounts: all of them are returned."""
    if isinstance(value, Redacted):
        return []
    if isinstance(value, Ref):
        inst = snapshot.get(value.address)
        if inst is None:
            return []
        if inst.type == SECRET_TYPE:
            return [inst]
        if inst.type == VERSION_TYPE and value.attribute in ("arn", "secret_id", "id"):
            return secret_candidates(snapshot, inst.get("secret_id"))
        return []
    if not isinstance(value, str) or not value:
        return []
    inst = snapshot.get(value)
    if inst is not None:
        return [inst] if inst.type == SECRET_TYPE else []
    index = _secret_index(snapshot)
    m = SECRET_ARN.match(value)
    if m is None:
        return list(index["name"].get(value, ()))
    full = strip_secret_suffix(value)
    hit = index["arn"].get(full)
    if hit is not None:
        return [hit]
    partial = index["partial"].get(full)
    if partial:  # Secrets Manager resolves an ARN without the suffix to the secret of that name
        return list(dict.fromkeys(partial))
    _, region, account, name = m.groups()
    # a secret whose ARN is not known yet (being created): a partial ARN (no random suffix) with
    # its name, region and account. A complete ARN cannot name it: its 6 random characters are
    # drawn at creation, so a hard-coded suffix is at best a guess.
    out = []
    for cand in index["name"].get(name, ()):
        if isinstance(cand.get("arn"), str):
            continue  # its ARN is known and is not this one
        if cand.region != region or instance_account(snapshot, cand) != account:
            continue
        out.append(cand)
    return out


def secret_instance(snapshot: Snapshot, value: Any, td=None) -> Optional[Instance]:
    """The ``aws_secretsmanager_secret`` in the plan that ``value`` names
    (``credentialsParameter`` / ``valueFrom``): a ``Ref``, an ARN with or without the
    ``:json-key:stage:version`` suffix, a name.  ``None`` when not exactly one.

    A bare name resolves in the task's own region and account: given ``td``, only secrets
    known to be there count (see :func:`same_place`)."""
    hits = secret_candidates(snapshot, value)
    if td is not None and is_bare_name(value):
        hits = [h for h in hits if same_place(snapshot, td.instance, h) is True]
    return hits[0] if len(hits) == 1 else None


def is_bare_name(value: Any) -> bool:
    return isinstance(value, str) and bool(value) and not value.startswith("arn:")


SECRET_NAME = re.compile(r"^[A-Za-z0-9/_+=.@-]{1,512}$")


NOT_SECRET_TYPES = ("aws_ssm_parameter", "aws_kms_")


def names_a_secret(value: Any) -> bool:
    """False for a string that is neither a Secrets Manager ARN nor a valid secret name, or a
    reference to an SSM parameter or KMS key attribute (PG202 reports those); True otherwise
    (markers included)."""
    if isinstance(value, Ref):
        parts = re.sub(r"\[[^\]]*\]", "", value.address).split(".")
        return len(parts) < 2 or not parts[-2].startswith(NOT_SECRET_TYPES)
    if not isinstance(value, str):
        return True
    return bool(SECRET_ARN.match(value)) or (not value.startswith("arn:") and bool(SECRET_NAME.match(value)))


def same_place(snapshot: Snapshot, a: Instance, b: Instance) -> Optional[bool]:
    """Are two instances in the same region and account? ``None`` when not known."""
    if a.region is None or b.region is None:
        return None
    if a.region != b.region:
        return False
    if a.provider == b.provider:
        return True
    acct_a, acct_b = instance_account(snapshot, a), instance_account(snapshot, b)
    if acct_a is None or acct_b is None:
        return None
    return acct_a == acct_b


def secret_arn_value(snapshot: Snapshot, inst: Instance) -> Any:
    """The secret's ARN: a string, or a ``Ref`` with its ``Partial`` shape."""
    arn = inst.get("arn")
    if isinstance(arn, str):
        return arn
    return arn_of(snapshot, Ref(inst.address, "arn"))


# ---------------------------------------------------------------- keys

def _is_default(value: str) -> bool:
    if value == DEFAULT_KEY_ALIAS:
        return True
    m = ALIAS_ARN.match(value)
    return bool(m and m.group(3) == DEFAULT_KEY_ALIAS)


def secret_key(snapshot: Snapshot, secret_inst: Optional[Instance]) -> tuple:
    """``(key_value, kind)`` of the key that encrypts the secret.

    kind ``"default"``: the AWS managed ``aws/secretsmanager`` key (``kms_key_id`` null,
    empty or that alias); ``"customer"``: a key ARN, key id, alias or a ``Ref`` to one;
    ``"unknown"``: known only after apply (or the secret is not in the plan)."""
    if secret_inst is None:
        return Unknown("the secret (not in the plan)"), "unknown"
    value = secret_inst.get("kms_key_id")
    if value is None or value == "":
        return None, "default"
    if isinstance(value, str):
        return value, "default" if _is_default(value) else "customer"
    if isinstance(value, Ref):
        inst = snapshot.get(value.address)
        if inst is not None and inst.type in (KEY_TYPE, ALIAS_TYPE):
            return value, "customer"  # Terraform cannot create an alias/aws/* alias
        return value, "unknown"
    if isinstance(value, Partial):
        return value, "unknown"
    return value if isinstance(value, Unknown) else Unknown(f"{secret_inst.address}.kms_key_id"), "unknown"


def _key_index(snapshot: Snapshot) -> dict:
    index = snapshot.cache.get("secret_access.keys")
    if index is None:
        index = {"key": {}, "alias": {}}
        for inst in snapshot.of_type(KEY_TYPE):
            for attr in ("arn", "id", "key_id"):
                v = inst.get(attr)
                if isinstance(v, str) and v:
                    index["key"].setdefault(v, inst)
        for inst in snapshot.of_type(ALIAS_TYPE):
            for attr in ("name", "arn"):
                v = inst.get(attr)
                if isinstance(v, str) and v:
                    index["alias"].setdefault(v, inst)
        snapshot.cache["secret_access.keys"] = index
    return index


def key_instance(snapshot: Snapshot, key_value: Any, _depth: int = 0) -> Optional[Instance]:
    """The ``aws_kms_key`` a key reference denotes (key ARN, key id, alias name or ARN,
    or a ``Ref`` to a key or an alias), following aliases' ``target_key_id``."""
    if _depth > 3:
        return None
    if isinstance(key_value, Ref):
        inst = snapshot.get(key_value.address)
        if inst is None:
            return None
        if inst.type == KEY_TYPE:
            return inst
        if inst.type == ALIAS_TYPE:
            return key_instance(snapshot, inst.get("target_key_id"), _depth + 1)
        return None
    if not isinstance(key_value, str) or not key_value:
        return None
    index = _key_index(snapshot)
    if key_value in index["key"]:
        return index["key"][key_value]
    m = KEY_ARN.match(key_value)
    if m and m.group(3) in index["key"]:
        return index["key"][m.group(3)]
    alias = index["alias"].get(key_value)
    if alias is None:
        am = ALIAS_ARN.match(key_value)
        alias = index["alias"].get(am.group(3)) if am else None
    if alias is not None:
        return key_instance(snapshot, alias.get("target_key_id"), _depth + 1)
    return None


def key_arn(snapshot: Snapshot, key_value: Any, key_inst: Optional[Instance]) -> Any:
    """The key ARN IAM sees (a string, a ``Ref``, or ``Unknown`` for an alias outside the plan)."""
    if key_inst is not None:
        arn = key_inst.get("arn")
        return arn if isinstance(arn, str) else Ref(key_inst.address, "arn")
    if isinstance(key_value, str):
        if KEY_ARN.match(key_value):
            return key_value
        if key_value.startswith("alias/") or ALIAS_ARN.match(key_value):
            return Unknown(f"the key behind {key_value} (not in the plan)")
        return Unknown(f"the ARN of KMS key {key_value} (not in the plan)")
    return key_value if isinstance(key_value, (Ref, Unknown)) else Unknown(str(key_value))


def effective_key_policy(snapshot: Snapshot, key_inst: Optional[Instance], key_value: Any = None,
                         td=None) -> ResourcePolicy:
    """The key policy that will apply to a key: :func:`model.iam.key_policy`, except for a key this
    plan creates (or replaces) without a ``policy`` argument (and no ``aws_kms_key_policy``): AWS gives it the
    default key policy, which delegates to the account (IAM decides), although the plan shows its
    computed ``policy`` as unknown. That case is the default key policy's statement for the
    account (``arn:aws:iam::<account>:root``, ``kms:*``); when the account is not known,
    ``evaluate.iam.RESOURCE_ACCOUNT_ROOT`` stands for it.
    (https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-default.html)"""
    kp = key_policy(snapshot, key_inst.address if key_inst is not None else key_value)
    pol = kp.policy
    if key_inst is None or pol is None or pol.name != key_inst.address or not isinstance(pol.document, Unknown):
        return kp
    if key_inst.action not in ("create", "replace") or len(kp.missing) > 1:
        return kp
    if td is not None and same_account(snapshot, td.instance, key_inst) is not True:
        return kp  # the default policy delegates to the key's own account only
    config = snapshot.config
    if config is None or not getattr(config, "root", None):
        return kp
    res = config.resource_config(key_inst.module, key_inst.mode, key_inst.type, key_inst.name)
    if res is None or "policy" in (res.get("expressions") or {}):
        return kp
    # the key's own account; not known: the evaluator's stand-in for it (matched when the
    # principal is known to be in the key's account, e.g. created with the same credentials)
    account = instance_account(snapshot, key_inst) or snapshot.account_id
    root = f"arn:{partition(key_inst.region)}:iam::{account}:root" if account else RESOURCE_ACCOUNT_ROOT
    memo = snapshot.cache.setdefault("secret_access.default_key_policy", {})
    if key_inst.address not in memo:  # one Policy object per key: role_can's memo is keyed by its identity
        document = {"Version": "2012-10-17", "Id": "key-default-1", "Statement": [{
            "Sid": "Enable IAM User Permissions", "Effect": "Allow",
            "Principal": {"AWS": root}, "Action": "kms:*", "Resource": "*"}]}
        memo[key_inst.address] = ResourcePolicy(
            Policy(f"{key_inst.address} (default key policy)", document, "key"), ())
    return memo[key_inst.address]


# stands for "whatever the role's own policies allow": isolates what a key policy decides
ANY_IDENTITY = Policy("(any identity policy)", {"Version": "2012-10-17", "Statement": [
    {"Effect": "Allow", "Action": "*", "Resource": "*"}]})
ROLE_TYPE = "aws_iam_role"


def execution_principal(snapshot: Snapshot, td) -> Any:
    """The execution role's ARN as best known now: the ARN when known, else built from the role's
    name and path when this plan creates it (``arn:aws:iam::<account>:role<path><name>``: an ARN is
    exactly that), else ``td.execution_role_arn`` as is (a ``Ref``, a string)."""
    p = td.execution_role_arn
    if not isinstance(p, Ref):
        return p
    inst = snapshot.get(p.address)
    if inst is None or inst.type != ROLE_TYPE:
        return p
    arn = inst.get("arn")
    if isinstance(arn, str):
        return arn
    name, path = inst.get("name"), inst.get("path")
    path = path if isinstance(path, str) and path else ("/" if path is None else None)
    account = instance_account(snapshot, inst) or snapshot.account_id
    if isinstance(name, str) and name and path is not None and account:
        return f"arn:{partition(inst.region)}:iam::{account}:role{path}{name}"
    return p


def key_policy_refuses(snapshot: Snapshot, td, resource: Any, kp: ResourcePolicy, context: Context) -> Optional[Decision]:
    """The key policy alone (as if the role's IAM allowed everything) refuses ``kms:Decrypt`` to the
    execution role: that ``Decision``, else ``None``. Decides cases the full evaluation leaves open
    because the role's ARN is known only after apply while the key policy names other principals."""
    if kp.policy is None:
        return None
    from .iam import Request, evaluate
    req = Request(principal=execution_principal(snapshot, td), action="kms:Decrypt",
                  resource=arn_of(snapshot, resource), principal_account=snapshot.account_id, context=context)
    decision = evaluate(req, identity=(ANY_IDENTITY,), key_policy=kp.policy)
    return decision if decision.denied else None


def _fact(value: Any) -> str:
    return getattr(value, "fact", None) or str(value)


def can_decrypt_secret(snapshot: Snapshot, td, secret_value: Any) -> tuple:
    """May ``td``'s execution role decrypt the secret ``secret_value`` names, through Secrets Manager?

    ``(None, evidence, ())`` when the secret uses the AWS managed key (nothing to check);
    otherwise ``(Decision, evidence, missing)`` from :func:`role_can` on ``kms:Decrypt`` with the
    key's policy and the request context Secrets Manager makes."""
    evidence: list = [td.address]
    inst = secret_instance(snapshot, secret_value, td)
    if inst is None:
        fact = (f"the KMS key of secret {_fact(secret_value)} (secret not in the plan)"
                if not isinstance(secret_value, (Unknown, Partial)) else _fact(secret_value))
        return Decision(UNDECIDED, reasons=("the secret is not in the plan",), missing=(fact,)), tuple(evidence), (fact,)
    evidence.append(inst.address)
    kv, kind = secret_key(snapshot, inst)
    if kind == "default":
        return None, tuple(evidence), ()
    if kind == "unknown":
        fact = f"{inst.address}.kms_key_id ({_fact(kv)} known after apply)"
        return Decision(UNDECIDED, reasons=("the secret's key is not known",), missing=(fact,)), tuple(evidence), (fact,)
    kinst = key_instance(snapshot, kv)
    resource = key_arn(snapshot, kv, kinst)
    if kinst is not None:
        evidence.append(kinst.address)
    kp = effective_key_policy(snapshot, kinst, kv, td)
    context = decrypt_context(snapshot, inst)
    decision, rp = role_can(snapshot, td, "kms:Decrypt", resource, key_policy=kp.policy, context=context)
    if decision.undecided:
        decision = key_policy_refuses(snapshot, td, resource, kp, context) or decision
    if rp.role is not None:
        evidence.insert(1, rp.role.address)
    evidence += [p.name for p in rp.identity if p.name not in evidence]
    if kp.policy is not None and kp.policy.name not in evidence:
        evidence.append(kp.policy.name)
    missing = tuple(dict.fromkeys(tuple(decision.missing) + (tuple(kp.missing) if decision.undecided else ())))
    return decision, tuple(evidence), missing


# ---------------------------------------------------------------- container secrets

def container_secrets(c) -> tuple:
    """Every ``{"name", "valueFrom"}`` the agent reads with the execution role before the container
    starts: ``secrets`` and ``logConfiguration.secretOptions`` (same permissions)
    (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/specifying-sensitive-data.html)."""
    lc = c.log_configuration
    options = lc.get("secretOptions") if isinstance(lc, dict) else None
    options = tuple(o for o in options if isinstance(o, dict)) if isinstance(options, list) else ()
    return tuple(c.secrets) + options


# ---------------------------------------------------------------- SSM parameters

PARAMETER_TYPE = "aws_ssm_parameter"
DEFAULT_SSM_KEY_ALIAS = "alias/aws/ssm"
SSM_ARN = re.compile(r"^arn:aws[a-z-]*:ssm:([^:]*):(\d{12}):parameter(/.*)$")


def parameter_instance(snapshot: Snapshot, value: Any) -> Optional[Instance]:
    """The ``aws_ssm_parameter`` in the plan a ``valueFrom`` names (a ``Ref``, its ARN, its name)."""
    if isinstance(value, Ref):
        inst = snapshot.get(value.address)
        return inst if inst is not None and inst.type == PARAMETER_TYPE else None
    if not isinstance(value, str) or not value:
        return None
    index = snapshot.cache.get("secret_access.parameters")
    if index is None:
        index = {}
        for inst in snapshot.of_type(PARAMETER_TYPE):
            for attr in ("arn", "name"):
                v = inst.get(attr)
                if isinstance(v, str) and v:
                    index.setdefault(v, []).append(inst)
                    if attr == "name" and not v.startswith("/"):
                        index.setdefault("/" + v, []).append(inst)
        snapshot.cache["secret_access.parameters"] = index
    m = SSM_ARN.match(value)
    hits = index.get(value) or (index.get(m.group(3)) if m else None) or []
    if m:
        hits = [h for h in hits if not isinstance(h.get("arn"), str) or h.get("arn") == value]
    return hits[0] if len(hits) == 1 else None


def parameter_key(snapshot: Snapshot, inst: Instance) -> tuple:
    """``(key_value, kind)`` of the key of an SSM parameter: kind ``"plain"`` (not a SecureString),
    ``"default"`` (``aws/ssm``), ``"customer"``, ``"unknown"``."""
    ptype = inst.get("type")
    if isinstance(ptype, str) and ptype != "SecureString":
        return None, "plain"
    if not isinstance(ptype, str):
        return Unknown(f"{inst.address}.type"), "unknown"
    value = inst.get("key_id")
    if value is None or value == "":
        return None, "default"
    if isinstance(value, str):
        default = value == DEFAULT_SSM_KEY_ALIAS or (ALIAS_ARN.match(value) or [None] * 4)[3] == DEFAULT_SSM_KEY_ALIAS
        return value, "default" if default else "customer"
    if isinstance(value, Ref):
        ref = snapshot.get(value.address)
        return value, "customer" if ref is not None and ref.type in (KEY_TYPE, ALIAS_TYPE) else "unknown"
    config = snapshot.config
    if isinstance(value, Unknown) and inst.action in ("create", "replace") and config is not None \
            and getattr(config, "root", None):
        res = config.resource_config(inst.module, inst.mode, inst.type, inst.name)
        if res is not None and "key_id" not in (res.get("expressions") or {}):
            return None, "default"  # computed: Parameter Store uses aws/ssm
    return value if isinstance(value, Unknown) else Unknown(f"{inst.address}.key_id"), "unknown"


def can_decrypt_parameter(snapshot: Snapshot, td, inst: Instance) -> tuple:
    """May ``td``'s execution role decrypt the SecureString parameter ``inst`` through Parameter
    Store? Like :func:`can_decrypt_secret`: ``(None, evidence, ())`` when there is nothing to check
    (a String, or the AWS managed ``aws/ssm`` key), else ``(Decision, evidence, missing)``.
    Parameter Store calls ``kms:Decrypt`` with the caller's permissions, ``kms:ViaService =
    ssm.<region>.amazonaws.com`` and the encryption context ``PARAMETER_ARN``
    (https://docs.aws.amazon.com/systems-manager/latest/userguide/secure-string-parameter-kms-encryption.html)."""
    evidence: list = [td.address, inst.address]
    kv, kind = parameter_key(snapshot, inst)
    if kind in ("plain", "default"):
        return None, tuple(evidence), ()
    if kind == "unknown":
        fact = f"{inst.address}.key_id ({_fact(kv)} known after apply)"
        return Decision(UNDECIDED, reasons=("the parameter's key is not known",), missing=(fact,)), tuple(evidence), (fact,)
    kinst = key_instance(snapshot, kv)
    resource = key_arn(snapshot, kv, kinst)
    if kinst is not None:
        evidence.append(kinst.address)
    kp = effective_key_policy(snapshot, kinst, kv, td)
    region = inst.region
    via = (f"ssm.{region}.amazonaws.com" if region else
           Partial(("ssm.", Hole(f"the region of {inst.address}", 1, None), ".amazonaws.com")))
    arn = inst.get("arn")
    context = Context(values={"kms:ViaService": via, "aws:ViaAWSService": True,
                              "kms:EncryptionContext:PARAMETER_ARN":
                                  arn if isinstance(arn, str) else arn_of(snapshot, Ref(inst.address, "arn")),
                              "kms:EncryptionContextKeys": ["PARAMETER_ARN"]})
    decision, rp = role_can(snapshot, td, "kms:Decrypt", resource, key_policy=kp.policy, context=context)
    if decision.undecided:
        decision = key_policy_refuses(snapshot, td, resource, kp, context) or decision
    if rp.role is not None:
        evidence.insert(1, rp.role.address)
    evidence += [p.name for p in rp.identity if p.name not in evidence]
    if kp.policy is not None and kp.policy.name not in evidence:
        evidence.append(kp.policy.name)
    missing = tuple(dict.fromkeys(tuple(decision.missing) + (tuple(kp.missing) if decision.undecided else ())))
    return decision, tuple(evidence), missing


def decrypt_context(snapshot: Snapshot, inst: Instance) -> Context:
    """The condition keys of the ``kms:Decrypt`` Secrets Manager makes for ``GetSecretValue``."""
    region = inst.region
    via = (f"secretsmanager.{region}.amazonaws.com" if region else
           Partial(("secretsmanager.", Hole(f"the region of {inst.address}", 1, None), ".amazonaws.com")))
    values = {
        "kms:ViaService": via,
        "kms:EncryptionContext:SecretARN": secret_arn_value(snapshot, inst),
        "kms:EncryptionContextKeys": ["SecretARN", "SecretVersionId"],
        "aws:ViaAWSService": True,
    }
    account = secret_account(snapshot, inst)
    if account:
        values["kms:CallerAccount"] = account
    absent: frozenset = frozenset()
    kv, kind = secret_key(snapshot, inst)
    kinst = key_instance(snapshot, kv) if kind == "customer" else None
    if kinst is not None:  # the key's tags (aws:ResourceTag/*); unknown for a key outside the plan
        tags = resource_tags(kinst, "kms")
        values.update(tags.values)
        absent = tags.absent
    return Context(values=values, unknown=frozenset({"kms:EncryptionContext:SecretVersionId"}), absent=absent)


# ---------------------------------------------------------------- deletions

def prior_snapshot(snapshot: Snapshot) -> Optional[Snapshot]:
    """The prior snapshot of the world ``snapshot`` is the planned side of, or ``None``."""
    return snapshot.prior


def deleted_in_plan(snapshot: Snapshot, type_: str) -> list:
    """Instances of ``type_`` this plan deletes (not replaces): in the prior snapshot with
    action ``delete`` and absent from ``snapshot``. Empty when ``snapshot`` is not a planned side."""
    if getattr(snapshot, "name", None) != "planned":
        return []
    key = ("secret_access.deleted", type_)
    if key not in snapshot.cache:
        prior = prior_snapshot(snapshot)
        snapshot.cache[key] = [] if prior is None else [
            i for i in prior.of_type(type_) if i.action == "delete" and i.address not in snapshot]
    return snapshot.cache[key]


# ---------------------------------------------------------------- versions

def _version_target(snapshot: Snapshot, version: Instance) -> Optional[Instance]:
    """The secret a version belongs to: its ``secret_id``, else (known after apply) the one
    ``aws_secretsmanager_secret`` its expression references, at the version's own key when the
    reference is indexed by ``each.key`` / ``count.index``."""
    hits = secret_candidates(snapshot, version.get("secret_id"))
    if len(hits) == 1:
        return hits[0]
    if hits or snapshot.config is None or not isinstance(version.get("secret_id"), Unknown):
        return None
    expr = snapshot.config.expression(version.module, version.mode, version.type, version.name, "secret_id")
    refs = [r for r in (expr or {}).get("references") or () if isinstance(r, str)]
    bases = {re.split(r"[\[.]", r[len(SECRET_TYPE) + 1:])[0] for r in refs if r.startswith(SECRET_TYPE + ".")}
    others = [r for r in refs if not r.startswith(SECRET_TYPE + ".")]
    if len(bases) != 1 or any(r not in ("each.key", "count.index") for r in others):
        return None
    prefix = f"{version.module}." if version.module else ""
    instances = snapshot.instances_of(f"{prefix}{SECRET_TYPE}.{bases.pop()}")
    if others:
        instances = [i for i in instances if i.index == version.index]
    return instances[0] if len(instances) == 1 else None


def secret_versions(snapshot: Snapshot, secret_inst: Instance) -> tuple:
    """``(versions, unattributed)``: the ``aws_secretsmanager_secret_version`` instances of the
    secret, and those whose secret is not known before apply (they might be its versions too)."""
    index = snapshot.cache.get("secret_access.versions")
    if index is None:
        index = {"by": {}, "open": []}
        for v in snapshot.of_type(VERSION_TYPE):
            target = _version_target(snapshot, v)
            if target is not None:
                index["by"].setdefault(target.address, []).append(v)
            elif not isinstance(v.get("secret_id"), str):
                index["open"].append(v)
        snapshot.cache["secret_access.versions"] = index
    return tuple(index["by"].get(secret_inst.address, ())), tuple(index["open"])


# ---------------------------------------------------------------- accounts

ARN_ACCOUNT = re.compile(r"^arn:aws[a-z-]*:[a-z0-9-]+:[a-z0-9-]*:(\d{12}):")
CREDENTIAL_SETTINGS = ("assume_role", "assume_role_with_web_identity", "profile", "access_key",
                       "shared_credentials_files", "shared_config_files", "token")


def _provider_accounts(snapshot: Snapshot) -> dict:
    index = snapshot.cache.get("secret_access.provider_accounts")
    if index is None:
        index = {}
        for inst in snapshot.instances.values():
            arn = inst.get("arn")
            m = ARN_ACCOUNT.match(arn) if isinstance(arn, str) else None
            acct = m.group(1) if m else None
            if inst.type == "aws_caller_identity" and isinstance(inst.get("account_id"), str):
                acct = inst.get("account_id")
            if acct:
                index.setdefault(inst.provider, set()).add(acct)
        snapshot.cache["secret_access.provider_accounts"] = index
    return index


def _ambient(snapshot: Snapshot, provider: str) -> bool:
    """A provider configuration that takes the environment's credentials (no role, profile or keys)."""
    providers = getattr(snapshot.config, "providers", None) or {}
    cfg = providers.get(provider) or providers.get(provider.split(":")[-1])
    if not isinstance(cfg, dict):
        return provider == "aws"
    exprs = cfg.get("expressions") or {}
    return not any(k in exprs for k in CREDENTIAL_SETTINGS)


def _assumed_account(snapshot: Snapshot, provider: str) -> Optional[str]:
    """The account of the role a provider configuration assumes (``assume_role { role_arn }``
    written as a constant): its credentials, so what it creates, belong to that account."""
    providers = getattr(snapshot.config, "providers", None) or {}
    cfg = providers.get(provider) or providers.get(provider.split(":")[-1])
    if not isinstance(cfg, dict):
        return None
    blocks = (cfg.get("expressions") or {}).get("assume_role")
    blocks = blocks if isinstance(blocks, list) else [blocks] if isinstance(blocks, dict) else []
    accounts = set()
    for block in blocks:
        arn = ((block or {}).get("role_arn") or {}).get("constant_value") if isinstance(block, dict) else None
        m = ARN_ACCOUNT.match(arn) if isinstance(arn, str) else None
        if not m:
            return None
        accounts.add(m.group(1))
    return accounts.pop() if len(accounts) == 1 else None


def same_account(snapshot: Snapshot, a: Instance, b: Instance) -> Optional[bool]:
    """Are two instances in the same account? True for one provider configuration (one set of
    credentials), else by :func:`instance_account`; ``None`` when not known."""
    if a.provider == b.provider:
        return True
    acct_a, acct_b = instance_account(snapshot, a), instance_account(snapshot, b)
    if acct_a is None or acct_b is None:
        return None
    return acct_a == acct_b


def instance_account(snapshot: Snapshot, inst: Instance) -> Optional[str]:
    """The account an instance lives in: its ARN's, else the account of the role its provider
    configuration assumes, else what is known of its provider configuration's account, else ``None``."""
    arn = inst.get("arn")
    m = ARN_ACCOUNT.match(arn) if isinstance(arn, str) else None
    if m:
        return m.group(1)
    assumed = _assumed_account(snapshot, inst.provider)
    if assumed:
        return assumed
    index = _provider_accounts(snapshot)
    known = index.get(inst.provider, set())
    if len(known) == 1:
        return next(iter(known))
    if known:
        return None
    if _ambient(snapshot, inst.provider):
        ambient = {a for p, accts in index.items() if _ambient(snapshot, p) for a in accts}
        if len(ambient) == 1:
            return next(iter(ambient))
    return None
