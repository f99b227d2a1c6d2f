"""PG504: no NAT/IGW path and the image or a secret is somewhere VPC endpoints cannot reach."""
from ..base import Rule, Severity
from ._path import path_outcomes


def check(snapshot, settings):
    return path_outcomes("PG504", snapshot)


RULE = Rule("PG504", "Image or secret not reachable through VPC endpoints", Severity.ERROR,
            check, scope="service")
