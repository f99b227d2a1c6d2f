"""Every real plan of the shared corpus checks without a crash: exit 0 or 1, or 2 with one line for
the plans pullguard cannot check (plans that errored)."""
import json

import pytest

from support import CORPUS
from pullguard.cli import main

PLANS = sorted(CORPUS.glob("*.json")) if CORPUS.is_dir() else []


@pytest.mark.skipif(not PLANS, reason="the shared plan corpus (../shared/corpus/plans) is not beside this checkout")
@pytest.mark.parametrize("path", PLANS, ids=[p.name[:80] for p in PLANS])
def test_corpus_plan(path, capsys):
    with pytest.raises(SystemExit) as exit_:
        main(["check", str(path), "--format", "json"])
    out, err = capsys.readouterr()
    raw = path.read_bytes()
    errored = b'"errored": true' in raw or b'"errored":true' in raw
    if errored:
        assert exit_.value.code == 2
        assert len(err.strip().splitlines()) == 1 and "errored" in err
        return
    assert exit_.value.code in (0, 1), err
    doc = json.loads(out)
    assert not [f for f in doc["findings"] if f["rule_id"] == "PG000"], "a rule crashed"
    assert doc["summary"]["resources"] >= 0


def test_corpus_ecs_plan_findings():
    """The corpus plan with an ECS task definition: Docker Hub images, one without a tag."""
    path = CORPUS / "bridgecrewio+checkov__tests__terraform__image_referencer__resources__aws__ecs_tfplan.json"
    if not path.is_file():
        pytest.skip("the shared plan corpus is not beside this checkout")
    from pullguard.api import check_plan
    result = check_plan(str(path))
    got = {(f.rule_id, f.container) for f in result.findings}
    assert got == {("PG102", "first"), ("PG104", "first"), ("PG104", "second")}
