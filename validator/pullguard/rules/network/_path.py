"""The network path rules share one analysis (model/network.py); each reads its own verdict."""
from ...model.network import FAIL, PASS, UNDECIDED, service_networks
from ..base import fail, passed, undecided


def path_outcomes(rule_id: str, snapshot):
    """One outcome per aws_ecs_service: this rule's verdict from the shared network analysis."""
    for address, net in service_networks(snapshot).items():
        v = net.verdicts.get(rule_id)
        if v is None or v.status == PASS:
            yield passed(address, evidence=v.evidence if v else ())
        elif v.status == FAIL:
            yield fail(address, v.message, v.remediation, evidence=v.evidence)
        elif v.status == UNDECIDED:
            yield undecided(address, v.missing or "", v.message, evidence=v.evidence)
