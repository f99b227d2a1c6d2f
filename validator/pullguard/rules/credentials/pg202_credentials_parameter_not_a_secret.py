"""PG202: credentialsParameter is not a Secrets Manager secret ARN or name."""
import re

from ...values import Partial, Redacted, Ref, Unknown, describe
from ..base import Rule, Severity, fail, passed, undecided
from ..common import has_credentials, per_container

ARN = re.compile(r"^arn:(aws[a-z-]*):([a-z0-9-]+):([a-z0-9-]*):(\d{12})?:(.*)$")
SECRET_NAME = re.compile(r"^[A-Za-z0-9/_+=.@-]{1,512}$")
SECRET_TYPES = {"aws_secretsmanager_secret": {"arn", "id", "name"},
                "aws_secretsmanager_secret_version": {"arn", "secret_id"}}
WHAT = {"ssm": "an SSM parameter", "kms": "a KMS key", "iam": "an IAM resource", "s3": "an S3 object",
        "secretsmanager": "a Secrets Manager ARN"}
FIX = ("Set `credentialsParameter` to the secret's ARN, e.g. "
       "`aws_secretsmanager_secret.<registry>.arn`; registry credentials must come from Secrets Manager.")


def _type_of(address: str) -> str:
    last = address.split(".module.")[-1] if ".module." in address else address
    parts = [p for p in last.split(".") if not p.startswith("module")]
    if parts and parts[0] == "data":
        parts = parts[1:]
    return parts[0] if parts else ""


def judge(value, snapshot):
    """(verdict, text): verdict is True (valid), False (invalid, text says why) or None (unknown)."""
    if isinstance(value, Ref):
        inst = snapshot.get(value.address)
        type_ = inst.type if inst else _type_of(value.address.split("[")[0])
        if value.attribute in SECRET_TYPES.get(type_, ()):
            return True, ""
        if type_.startswith("aws_ssm_parameter"):
            return False, f"`{value}` is an SSM parameter, not a Secrets Manager secret"
        if type_.startswith("aws_kms_"):
            return False, f"`{value}` is a KMS key, not a Secrets Manager secret"
        return None, str(value)  # another resource's attribute: what it holds is not known here
    if isinstance(value, (Unknown, Partial, Redacted)):
        return None, getattr(value, "fact", "credentialsParameter")
    if value is None or value == "":
        return False, "`credentialsParameter` is empty"
    if not isinstance(value, str):
        return False, "`credentialsParameter` is not a string"
    if value.startswith("arn:"):
        m = ARN.match(value)
        if not m:
            return False, f"`{value}` is not a well-formed ARN (arn:partition:service:region:account:resource)"
        _, service, region, account, resource = m.groups()
        if service != "secretsmanager":
            return False, f"`{value}` is {WHAT.get(service, f'a {service} ARN')}, not a Secrets Manager secret"
        if not region or not account:
            return False, f"`{value}` lacks its region or account"
        if not resource.startswith("secret:") or len(resource) <= len("secret:"):
            return False, f"`{value}` does not name a secret (`...:secret:NAME-XXXXXX`)"
        return True, ""
    if SECRET_NAME.match(value):
        return True, ""
    bad = sorted({ch for ch in value if not re.match(r"[A-Za-z0-9/_+=.@-]", ch)})
    return False, (f"`{value}` is neither a secret ARN nor a valid secret name (it contains "
                   f"{', '.join(repr(b) for b in bad) or 'too many characters'})")


def _one(td, c, snapshot):
    if not has_credentials(c):
        yield passed(td.address, c.name)
        return
    value = c.credentials_parameter
    ok, why = judge(value, snapshot)
    if ok is True:
        yield passed(td.address, c.name)
    elif ok is None:
        yield undecided(td.address, why, f"the `credentialsParameter` of container `{c.name}` is "
                        f"{describe(value)}", container=c.name)
    else:
        yield fail(td.address, f"container `{c.name}`: {why}, so the agent cannot read registry credentials "
                   "from it", FIX, c.name, (td.address,))


def check(snapshot, settings):
    return per_container(snapshot, lambda td, c: _one(td, c, snapshot), "the credentials parameter")


RULE = Rule("PG202", "credentialsParameter is not a Secrets Manager secret", Severity.ERROR, check)
