#!/usr/bin/env python3
"""Regenerate validator/pullguard/data/aws_managed_policies.json.

Source: the AWS managed policy documents that moto ships
(``moto/iam/aws_managed_policies.py``, Apache-2.0; moto refreshes them from
AWS with ``make aws_managed_policies``).  Install the moto version you want
(``pip install -U moto``) and run::

    python scripts/refresh_managed_policies.py

Only policies with a statement that may touch the covered actions (ECR,
Secrets Manager, KMS, ``ssm:GetParameters``, CloudWatch Logs - including
through ``*``, ``ecr:*``, ``NotAction`` ...) keep their documents; the ARNs of
all other AWS managed policies are listed in ``other_policies``, so the
evaluator knows they grant nothing on the covered actions.
"""
from __future__ import annotations

import datetime
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "validator"))

from pullguard.evaluate.iam_glob import compile_pattern, intersects  # noqa: E402
from pullguard.values import Hole  # noqa: E402

OUT = ROOT / "validator" / "pullguard" / "data" / "aws_managed_policies.json"
COVERED = ["ecr:*", "secretsmanager:*", "kms:*", "ssm:GetParameters", "logs:*"]


def _covered_tokens():
    """Each covered action as value tokens ('ecr:' + any run of characters)."""
    out = []
    for a in COVERED:
        a = a.lower()
        out.append(tuple(a[:-1]) + (Hole("action"),) if a.endswith("*") else tuple(a))
    return out


def trim(doc: dict):
    """The document cut down to what may touch the covered actions, or None.

    Statements with ``NotAction`` are kept whole; in the others only the
    action patterns that may match a covered action stay.  The trimmed
    document decides exactly the covered actions (the evaluator treats every
    other action as undecided for these policies).
    """
    cov = _covered_tokens()
    stmts = doc.get("Statement", [])
    stmts = stmts if isinstance(stmts, list) else [stmts]
    kept = []
    for st in stmts:
        if "NotAction" in st:
            kept.append(st)
            continue
        acts = st.get("Action", [])
        acts = acts if isinstance(acts, list) else [acts]
        hits = [a for a in acts
                if any(intersects(compile_pattern(a, True, True).tokens, c, True) for c in cov)]
        if hits:
            kept.append({**st, "Action": hits if len(hits) > 1 else hits[0]})
    if not kept:
        return None
    return {**doc, "Statement": kept}


def main() -> int:
    import moto
    from moto.iam.aws_managed_policies import aws_managed_policies_data

    data = json.loads(aws_managed_policies_data)
    keep, other = {}, []
    for name, pol in sorted(data.items()):
        arn = f"arn:aws:iam::aws:policy{pol.get('Path', '/')}{name}"
        doc = trim(pol["Document"])
        if doc is not None:
            keep[arn] = doc
        else:
            other.append(arn)
    out = {
        "source": "moto/iam/aws_managed_policies.py (AWS managed policy documents as shipped by moto)",
        "license": "Apache-2.0 (moto)",
        "package": "moto",
        "version": moto.__version__,
        "generated": datetime.date.today().isoformat(),
        "covered_actions": COVERED,
        "note": "policies: AWS managed policy documents trimmed to the statements and actions that "
                "may touch covered_actions (exact for those actions only); other_policies: ARNs of "
                "AWS managed policies that grant/deny none of them.",
        "policies": keep,
        "other_policies": other,
    }
    OUT.write_text(json.dumps(out, separators=(",", ":")) + "\n", encoding="utf-8")
    print(f"wrote {OUT.relative_to(ROOT)}: {len(keep)} documents, {len(other)} other ARNs "
          f"(moto {moto.__version__})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
