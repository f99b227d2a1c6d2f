#!/usr/bin/env python3
"""Cost of one IAM decision: a role with 10 policies of 10 statements each.

Run: ``python benchmarks/bench_iam.py`` (not a test; prints microseconds per
decision).  The policies mix wildcards, NotAction/NotResource, conditions,
policy variables and a resource policy, and every request is a different
resource so the per-statement caches only help with repeated actions.
"""
from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "validator"))

from pullguard.evaluate.iam import Context, Policy, Request, evaluate  # noqa: E402

ACCT = "123456789012"
ROLE = f"arn:aws:iam::{ACCT}:role/exec"


def _statement(p: int, s: int) -> dict:
    kind = s % 5
    if kind == 0:
        return {"Sid": f"S{p}{s}", "Effect": "Allow", "Action": [f"ecr:Get{p}*", "ecr:BatchGetImage", "ecr:Describe*"],
                "Resource": f"arn:aws:ecr:us-east-1:{ACCT}:repository/team{p}-*"}
        # ^ ecr:BatchGetImage on team repositories
    if kind == 1:
        return {"Effect": "Allow", "Action": "secretsmanager:GetSecretValue",
                "Resource": [f"arn:aws:secretsmanager:us-east-1:{ACCT}:secret:app{p}-{s}-??????",
                             f"arn:aws:secretsmanager:*:{ACCT}:secret:shared/${{aws:PrincipalTag/team}}/*"],
                "Condition": {"StringEquals": {"aws:PrincipalAccount": ACCT}}}
    if kind == 2:
        return {"Effect": "Deny", "NotAction": ["ecr:*", "secretsmanager:*", "kms:*", "logs:*"],
                "Resource": "*"}
    if kind == 3:
        return {"Effect": "Allow", "Action": ["kms:Decrypt"], "Resource": "*",
                "Condition": {"StringLike": {"kms:ViaService": "secretsmanager.*.amazonaws.com"},
                              "ArnLike": {"aws:PrincipalArn": f"arn:aws:iam::{ACCT}:role/*"}}}
    return {"Effect": "Deny", "Action": "secretsmanager:DeleteSecret", "NotResource": f"arn:aws:secretsmanager:*:{ACCT}:secret:tmp-*"}


POLICIES = [Policy(f"aws_iam_role_policy.p{p}", {"Version": "2012-10-17",
                                                  "Statement": [_statement(p, s) for s in range(10)]})
            for p in range(10)]
RESOURCE_POLICY = Policy("aws_secretsmanager_secret_policy.reg", {
    "Version": "2012-10-17",
    "Statement": [{"Effect": "Allow", "Principal": {"AWS": ROLE}, "Action": "secretsmanager:GetSecretValue",
                   "Resource": "*"}]}, "resource")
CTX = Context({"aws:PrincipalTag/team": "red", "kms:ViaService": "secretsmanager.us-east-1.amazonaws.com"})


def requests(n: int) -> list:
    out = []
    for i in range(n):
        k = i % 3
        if k == 0:
            out.append(Request(ROLE, "secretsmanager:GetSecretValue",
                               f"arn:aws:secretsmanager:us-east-1:{ACCT}:secret:shared/red/s{i}-AbCdEf", context=CTX))
        elif k == 1:
            out.append(Request(ROLE, "ecr:BatchGetImage",
                               f"arn:aws:ecr:us-east-1:{ACCT}:repository/team{i % 10}-svc{i}", context=CTX))
        else:
            out.append(Request(ROLE, "kms:Decrypt", f"arn:aws:kms:us-east-1:{ACCT}:key/{i}", context=CTX))
    return out


def decide(r: Request):
    rp = RESOURCE_POLICY if r.action.startswith("secretsmanager:") else None
    return evaluate(r, POLICIES, resource_policy=rp)


def main() -> None:
    reqs = requests(3000)
    for r in reqs[:30]:  # warm-up: compile policies once
        decide(r)
    runs = []
    for _ in range(5):
        t0 = time.perf_counter()
        for r in reqs:
            decide(r)
        runs.append((time.perf_counter() - t0) / len(reqs) * 1e6)
    outcomes = {}
    for r in reqs[:3]:
        outcomes[r.action] = decide(r).outcome
    print(f"10 policies x 10 statements, {len(reqs)} distinct requests x 5 runs")
    print(f"per decision: median {statistics.median(runs):.1f} us, best {min(runs):.1f} us")
    print("outcomes:", outcomes)


if __name__ == "__main__":
    main()
