"""PG501: no NAT/IGW path and not all the VPC endpoints the task needs."""
from ..base import Rule, Severity
from ._path import path_outcomes


def check(snapshot, settings):
    return path_outcomes("PG501", snapshot)


RULE = Rule("PG501", "Service subnets have no route to the image registry", Severity.ERROR,
            check, scope="service")
