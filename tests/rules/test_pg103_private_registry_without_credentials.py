"""PG103: a private-registry image without repositoryCredentials fails; ECR, public registries,
Docker Hub official images, images with credentials and declared-public images pass."""
from rulecase import case, fails, undecided


def test_fail_third_party_registries_without_credentials(images):
    found = fails(images, "PG103")
    assert set(found) == {case("registries", "ghcr"), case("registries", "hubuser"),
                          case("registries", "declared"), case("pinning", "registryport")}
    assert "is on `ghcr.io`" in found[case("registries", "ghcr")]
    assert "no `repositoryCredentials`" in found[case("registries", "ghcr")]
    assert "is on Docker Hub" in found[case("registries", "hubuser")]
    assert "`registry.acme.internal:5000`" in found[case("pinning", "registryport")]


def test_pass_ecr_public_official_and_credentialed_images(images):
    found = fails(images, "PG103")
    for name in ("ghcrcreds", "ecrpublic", "mcr", "hubofficial", "hubcreds", "ecr", "ecrcreds"):
        assert case("registries", name) not in found
    for name in ("implicit", "latest", "tagged"):  # nginx: a Docker Hub official image
        assert case("pinning", name) not in found


def test_pass_when_declared_public_in_config(images_declared):
    found = fails(images_declared, "PG103")
    assert case("registries", "declared") not in found
    assert case("registries", "ghcr") in found


def test_undecided_when_the_image_is_unknown(unknowns):
    assert set(undecided(unknowns, "PG103")) == {("aws_ecs_task_definition.opaque", None)}


def with_images(plans, tmp_path, containers):
    """The images plan with the `registries` task definition's containers replaced: `containers`
    is a list of (name, image, credentialsParameter or None)."""
    import json

    from pullguard.api import check_plan

    doc = json.loads(plans.first("images").read_text())
    defs = json.dumps([{"name": n, "image": i, "essential": True, "memory": 128,
                        **({"repositoryCredentials": {"credentialsParameter": c}} if c else {})}
                       for n, i, c in containers])
    address = 'aws_ecs_task_definition.case["registries"]'
    for r in doc["planned_values"]["root_module"]["resources"]:
        if r["address"] == address:
            r["values"]["container_definitions"] = defs
    for rc in doc["resource_changes"]:
        if rc["address"] == address:
            rc["change"]["after"]["container_definitions"] = defs
    path = tmp_path / "plan.json"
    path.write_text(json.dumps(doc))
    return check_plan(str(path))


# The registry host names AWS documents besides the IPv4 ones (General Reference, "Amazon ECR
# endpoints"; ECR Public "Making requests"): ECR dual-stack `<acct>.dkr-ecr[-fips].<region>.on.aws`,
# ECR FIPS `<acct>.dkr.ecr-fips.<region>.amazonaws.com`, ECR Public dual-stack `ecr-public.aws.com`.
AWS_HOSTS = [
    ("dualstack", "123456789012.dkr-ecr.us-east-1.on.aws/orders/api:2.4.1", None),
    ("dualstackfips", "123456789012.dkr-ecr-fips.us-east-1.on.aws/orders/api:2.4.1", None),
    ("fips", "123456789012.dkr.ecr-fips.us-east-1.amazonaws.com/orders/api:2.4.1", None),
    ("china", "123456789012.dkr.ecr.cn-north-1.amazonaws.com.cn/orders/api:2.4.1", None),
    ("ptc", "123456789012.dkr.ecr.us-east-1.amazonaws.com/docker-hub/library/nginx:1.27", None),
    ("publicdual", "ecr-public.aws.com/docker/library/busybox:1.37", None),
    ("lookalike", "123456789012.dkr-ecr.us-east-1.example.com/orders/api:2.4.1", None),
]


def test_pass_ecr_dual_stack_fips_and_ecr_public_dual_stack_hosts(plans, tmp_path):
    found = {k: v for k, v in fails(with_images(plans, tmp_path, AWS_HOSTS), "PG103").items()
             if k[0] == case("registries", None)[0]}
    assert set(found) == {case("registries", "lookalike")}  # not an AWS host: a private registry
    assert "`123456789012.dkr-ecr.us-east-1.example.com`" in found[case("registries", "lookalike")]
