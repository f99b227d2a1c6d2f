"""PG503: the task relies on VPC endpoints and one it needs is missing or unusable."""
from ..base import Rule, Severity
from ._path import path_outcomes


def check(snapshot, settings):
    return path_outcomes("PG503", snapshot)


RULE = Rule("PG503", "A VPC endpoint the task needs is missing or unusable", Severity.ERROR,
            check, scope="service")
