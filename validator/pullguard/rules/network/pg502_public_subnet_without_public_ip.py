"""PG502: Fargate service in a public subnet with assign_public_ip = false."""
from ..base import Rule, Severity
from ._path import path_outcomes


def check(snapshot, settings):
    return path_outcomes("PG502", snapshot)


RULE = Rule("PG502", "Fargate service in a public subnet without a public IP", Severity.ERROR,
            check, scope="service")
