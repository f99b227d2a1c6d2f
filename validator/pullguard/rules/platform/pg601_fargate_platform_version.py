"""PG601: a Fargate service pins a retired Linux platform version, or one below a feature's minimum."""
import json
from pathlib import Path

from ...evaluate.secret_access import container_secrets, secret_reference
from ...model.network import fargate_of, task_definition_of
from ...values import Partial, Ref, Unknown, is_known
from ..base import Rule, Severity, fail, passed, undecided

DATA_FILE = Path(__file__).resolve().parent.parent.parent / "data" / "fargate_platform_versions.json"


def _data() -> dict:
    try:
        return json.loads(DATA_FILE.read_text())
    except (OSError, ValueError):
        return {"retired": {}, "feature_minimums": {}}


DATA = _data()


def _version(text: str):
    try:
        return tuple(int(p) for p in text.split("."))
    except ValueError:
        return None


def _json_key_or_version(snapshot, value) -> bool:
    """Whether a secret's ``valueFrom`` names a JSON key, version stage or version id of a Secrets
    Manager secret: ``arn:...:secret:NAME:json-key:version-stage:version-id`` with any of the three
    set, also written ``"${aws_secretsmanager_secret.x.arn}:password::"`` (a Partial in a first plan)."""
    if isinstance(value, str) and value.startswith("arn:") and ":secretsmanager:" in value:
        return any(value.split(":")[7:])
    if isinstance(value, Partial) and isinstance(secret_reference(snapshot, value), Ref):
        return any("".join(value.parts[1:]).split(":")[1:])
    return False


def _features(snapshot, td) -> list:
    """[(feature key, container name)] of what the task definition uses. Log driver secrets
    (``logConfiguration.secretOptions``) have the same platform minimums as ``secrets``."""
    used = []
    for c in td.containers:
        secrets = container_secrets(c)
        if c.repository_credentials:
            used.append(("repositoryCredentials", c.name))
        if secrets:
            used.append(("secrets", c.name))
        for s in secrets:
            if _json_key_or_version(snapshot, s.get("valueFrom")):
                used.append(("secret_json_key_or_version", c.name))
                break
    return used


def _configured(snapshot, svc) -> bool:
    cfg = snapshot.config.resource_config(svc.module, svc.mode, svc.type, svc.name) if snapshot.config else None
    exprs = (cfg or {}).get("expressions") or {}
    return not isinstance(cfg, dict) or exprs.get("platform_version") is not None


def _one(snapshot, svc):
    td, td_missing = task_definition_of(snapshot, svc)
    fargate, why = fargate_of(snapshot, svc, td)
    ev = (svc.address,) + ((td.address,) if td else ())
    pv = svc.get("platform_version")
    if fargate is False:
        return passed(svc.address, evidence=ev)
    if pv in (None, "", "LATEST") or (not is_known(pv) and not _configured(snapshot, svc)):
        return passed(svc.address, evidence=ev)
    if not isinstance(pv, str):
        return undecided(svc.address, f"{getattr(pv, 'fact', svc.address + '.platform_version')} (known after apply)",
                         f"the platform version of `{svc.address}` is known only after apply", evidence=ev)
    if fargate is None:
        return undecided(svc.address, why, f"`{svc.address}` pins platform version {pv} but whether it runs on "
                         "Fargate is not known", evidence=ev)
    if td is not None:
        family = td.instance.get("runtime_platform")
        osf = family[0].get("operating_system_family") if isinstance(family, list) and family and \
            isinstance(family[0], dict) else None
        if isinstance(osf, str) and osf.startswith("WINDOWS"):
            return passed(svc.address, evidence=ev)  # Windows platform versions are numbered separately
    version = _version(pv)
    retired = DATA.get("retired", {}).get(pv)
    fix = (f"Set `platform_version = \"{DATA.get('latest_linux', '1.4.0')}\"` (or `\"LATEST\"`, or remove it) on "
           f"`{svc.address}`.")
    if retired:
        when = f"retired on {retired['date']}" if retired.get("date") else "has deprecated"
        also = ""
        if version is not None and td is not None and not isinstance(td.containers, Unknown):
            short = [(k, c) for k, c in _features(snapshot, td)
                     if version < _version(DATA.get("feature_minimums", {}).get(k, {}).get("version", "0"))]
            if short:
                need = DATA["feature_minimums"][short[0][0]]
                also = (f" (and container `{short[0][1]}` uses {need['what']}, which needs {need['version']} "
                        "or later)")
        return fail(svc.address, f"Fargate service `{svc.address}` pins Linux platform version {pv}, which AWS "
                    f"{when}: new tasks cannot be launched on it{also}", fix, evidence=ev)
    if version is None:
        return passed(svc.address, evidence=ev)  # not a version pullguard knows: ECS validates it
    minimums = [_version(m["version"]) for m in DATA.get("feature_minimums", {}).values()]
    if all(m is not None and version >= m for m in minimums):
        return passed(svc.address, evidence=ev)  # new enough for every feature, whatever the task uses
    if td is None:
        return undecided(svc.address, td_missing, f"what the task definition of `{svc.address}` uses is not known",
                         evidence=ev)
    if isinstance(td.containers, Unknown):
        return undecided(svc.address, td.containers.fact, f"the container definitions of `{td.address}` are "
                         "known only after apply", evidence=ev)
    for key, container in _features(snapshot, td):
        need = DATA.get("feature_minimums", {}).get(key)
        if need and version < _version(need["version"]):
            return fail(svc.address, f"Fargate service `{svc.address}` pins platform version {pv}, but container "
                        f"`{container}` of `{td.address}` uses {need['what']}, which needs {need['version']} or "
                        "later", fix, evidence=ev)
    return passed(svc.address, evidence=ev)


def check(snapshot, settings):
    for svc in snapshot.of_type("aws_ecs_service"):
        yield _one(snapshot, svc)


RULE = Rule("PG601", "Fargate platform version retired or too old for the task", Severity.ERROR, check,
            scope="service")
