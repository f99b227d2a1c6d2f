"""One Checkov check per pullguard rule (loaded by ``checkov --external-checks-dir``).

Each check answers from pullguard's own result for the plan file (see
``pullguard.checkov``): FAILED where pullguard reports a finding, PASSED where
it passed (or a suppression matched: the reason is in the details), UNKNOWN
where pullguard is undecided or cannot read the input.
"""
from checkov.common.bridgecrew.severities import Severities
from checkov.common.models.enums import CheckCategories, CheckResult
from checkov.terraform.checks.resource.base_resource_check import BaseResourceCheck

from pullguard.checkov import SEVERITY, check_id, resource_types, results_for
from pullguard.report.sarif import rule_url
from pullguard.rules import ALL_RULES


class PullguardRuleCheck(BaseResourceCheck):
    def __init__(self, rule) -> None:
        self.rule = rule
        super().__init__(name=f"pullguard {rule.id}: {rule.title}", id=check_id(rule.id),
                         categories=[CheckCategories.GENERAL_SECURITY],
                         supported_resources=list(resource_types(rule)), guideline=rule_url(rule.id))
        self.severity = Severities[SEVERITY.get(rule.severity.value, "MEDIUM")]

    def scan_resource_conf(self, conf) -> CheckResult:
        self.evaluated_keys = []
        files, address = conf.get("__file__"), conf.get("__address__")
        path = files[0] if isinstance(files, list) and files else files
        if not isinstance(path, str) or not isinstance(address, str) or not path.endswith(".json"):
            return CheckResult.UNKNOWN  # not a plan (e.g. --framework terraform on source)
        verdicts = results_for(path)
        if verdicts is None:
            return CheckResult.UNKNOWN
        self.details.extend(verdicts.details(self.rule.id, address))
        key = (self.rule.id, address)
        if key in verdicts.failed:
            return CheckResult.FAILED
        if key in verdicts.undecided:
            return CheckResult.UNKNOWN
        return CheckResult.PASSED


CHECKS = [PullguardRuleCheck(rule) for rule in ALL_RULES]
