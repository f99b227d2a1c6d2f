"""Picking one rule's outcomes out of a result."""
IMAGES = 'aws_ecs_task_definition.case["{}"]'


def fails(result, rule_id):
    """{(address, container): message} of one rule's findings."""
    return {(f.address, f.container): f.message for f in result.findings if f.rule_id == rule_id}


def undecided(result, rule_id):
    return {(u.address, u.container): u.missing for u in result.undecided if u.rule_id == rule_id}


def case(group, container):
    return (IMAGES.format(group), container)
