"""PG203: credentialsParameter is a bare secret name, but the secret is in another region or account.

A name resolves only in the task's own region and account. Fails when the plan holds secrets of that
name and none of them is where the task is. A name the plan does not hold passes: PG203 is about a
secret known to be elsewhere; whether a secret of that name exists in the task's region is a live
fact (PG901).
"""
from ...evaluate.secret_access import instance_account, is_bare_name, same_place, secret_candidates
from ..base import Rule, Severity, fail, passed, undecided
from ..common import has_credentials, per_container


def _where(snapshot, inst) -> str:
    acct = instance_account(snapshot, inst)
    return f"{inst.region or 'an unknown region'}, account {acct or 'unknown'}"


def _one(snapshot, td, c):
    value = c.credentials_parameter if has_credentials(c) else None
    if not is_bare_name(value):
        yield passed(td.address, c.name)  # an ARN, a reference, or no credentials: not PG203's case
        return
    hits = secret_candidates(snapshot, value)
    if not hits:
        yield passed(td.address, c.name)
        return
    places = [(h, same_place(snapshot, td.instance, h)) for h in hits]
    evidence = (td.address, *(h.address for h in hits))
    if any(p is True for _, p in places):
        yield passed(td.address, c.name, evidence)
        return
    unknown = [h for h, p in places if p is None]
    if unknown:
        yield undecided(td.address, f"the region or account of {', '.join(h.address for h in unknown)}",
                        f"whether secret `{value}` of container `{c.name}` is in the task's region and account is "
                        "not known before apply", container=c.name, evidence=evidence)
        return
    secret = hits[0]
    yield fail(td.address,
               f"container `{c.name}`: `credentialsParameter` is the bare name `{value}`, which resolves in the "
               f"task's region and account ({_where(snapshot, td.instance)}), but `{secret.address}` is in "
               f"{_where(snapshot, secret)}: use the secret's full ARN",
               f"Set `credentialsParameter = {secret.address}.arn` (a full ARN; a name works only in the task's "
               "own region and account).", c.name, evidence)


def check(snapshot, settings):
    return per_container(snapshot, lambda td, c: _one(snapshot, td, c), "the credentials parameter")


RULE = Rule("PG203", "credentialsParameter names a secret in another region or account", Severity.ERROR, check)
