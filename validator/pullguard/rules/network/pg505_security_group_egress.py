"""PG505: the task's security groups allow no egress on TCP 443 to where the pull goes."""
from ..base import Rule, Severity
from ._path import path_outcomes


def check(snapshot, settings):
    return path_outcomes("PG505", snapshot)


RULE = Rule("PG505", "Security groups block egress to the registry", Severity.ERROR,
            check, scope="service")
