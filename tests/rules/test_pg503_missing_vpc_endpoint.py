"""PG503: the task relies on VPC endpoints and one it needs is missing or unusable."""
from rulecase import fails, undecided
from test_pg50x_network_plans import net, net_applied  # noqa: F401 (fixtures)


EXPECTED = {'aws_ecs_service.endpoints["ssm"]', "aws_ecs_service.none", "aws_ecs_service.nos3"}


def test_fail_no_s3_gateway_on_route_table_and_ssm_without_private_dns(net):
    found = fails(net, "PG503")
    assert set(found) == {(a, None) for a in EXPECTED}
    assert "lacks `s3`" in found[("aws_ecs_service.nos3", None)]
    assert "aws_vpc_endpoint.s3 is not associated with the subnet's route table " \
           'aws_route_table.private["nos3"]' in found[("aws_ecs_service.nos3", None)]
    ssm = found[('aws_ecs_service.endpoints["ssm"]', None)]
    assert "lacks `ssm`" in ssm and "private_dns_enabled = false" in ssm and "secret `TOKEN`" in ssm


def test_pass_complete_endpoints(net, net_applied):
    # ecr.api + ecr.dkr + logs interface endpoints, s3 gateway through aws_vpc_endpoint_route_table_association
    assert ('aws_ecs_service.endpoints["ecr"]', None) not in fails(net, "PG503")
    # secretsmanager reaches the subnet through aws_vpc_endpoint_subnet_association (known once applied)
    assert ('aws_ecs_service.endpoints["secret"]', None) not in fails(net_applied, "PG503")
    assert set(fails(net_applied, "PG503")) == {(a, None) for a in EXPECTED}


def test_undecided_private_dns_known_after_apply(net, net_applied):
    assert undecided(net, "PG503") == {
        ('aws_ecs_service.endpoints["secret"]', None): "aws_vpc_endpoint.secretsmanager.private_dns_enabled "
                                                       "(known after apply)"}
    assert undecided(net_applied, "PG503") == {}


# -- endpoint-only VPCs written as small plans: what each endpoint must allow ----------------------
REGISTRY = "123456789012.dkr.ecr.us-east-1.amazonaws.com"
LAYERS = "arn:aws:s3:::prod-us-east-1-starport-layer-bucket/*"


def _endpoint_vpc(tmp_path, *, containers=None, s3=None, endpoint_ingress=None, interface=("ecr.api", "ecr.dkr")):
    """A plan (everything known, as after apply) of one Fargate service in an endpoint-only subnet:
    interface endpoints ``interface`` (private DNS on) and the S3 endpoint ``s3`` (after-values)."""
    import json
    vpc = "vpc-0a1"
    res = {
        "aws_vpc.v": {"id": vpc, "cidr_block": "10.9.0.0/16"},
        "aws_subnet.tasks": {"id": "subnet-0t", "vpc_id": vpc, "cidr_block": "10.9.1.0/24"},
        "aws_route_table.tasks": {"id": "rtb-0t", "vpc_id": vpc, "route": []},
        "aws_route_table_association.tasks": {"subnet_id": "subnet-0t", "route_table_id": "rtb-0t"},
        "aws_security_group.tasks": {"id": "sg-0task", "vpc_id": vpc, "ingress": [], "egress": [{
            "protocol": "tcp", "from_port": 443, "to_port": 443, "cidr_blocks": ["0.0.0.0/0"],
            "ipv6_cidr_blocks": [], "prefix_list_ids": [], "security_groups": [], "self": False}]},
        "aws_security_group.endpoints": {"id": "sg-0ep", "vpc_id": vpc, "egress": [], "ingress": [{
            "protocol": "tcp", "from_port": 443, "to_port": 443, "cidr_blocks": ["10.9.0.0/16"],
            "ipv6_cidr_blocks": [], "prefix_list_ids": [], "security_groups": [], "self": False}]
            if endpoint_ingress is None else endpoint_ingress},
        "aws_vpc_endpoint.s3": dict({"id": "vpce-0s3", "vpc_id": vpc, "service_name": "com.amazonaws.us-east-1.s3",
                                     "vpc_endpoint_type": "Gateway", "route_table_ids": ["rtb-0t"],
                                     "prefix_list_id": "pl-63a5400a", "policy": None}, **(s3 or {})),
        "aws_ecs_task_definition.app": {
            "arn": "arn:aws:ecs:us-east-1:123456789012:task-definition/app:1", "family": "app", "revision": 1,
            "requires_compatibilities": ["FARGATE"], "network_mode": "awsvpc",
            "container_definitions": json.dumps(containers or [{"name": "app", "image": f"{REGISTRY}/app:1.0"}])},
        "aws_ecs_service.app": {"name": "app", "launch_type": "FARGATE", "platform_version": "LATEST",
                                "task_definition": "arn:aws:ecs:us-east-1:123456789012:task-definition/app:1",
                                "capacity_provider_strategy": [], "network_configuration": [{
                                    "subnets": ["subnet-0t"], "security_groups": ["sg-0task"],
                                    "assign_public_ip": False}]},
    }
    for svc in interface:
        res[f'aws_vpc_endpoint.i["{svc}"]'] = {
            "id": f"vpce-0{svc}", "vpc_id": vpc, "service_name": f"com.amazonaws.us-east-1.{svc}",
            "vpc_endpoint_type": "Interface", "private_dns_enabled": True, "subnet_ids": ["subnet-0other"],
            "security_group_ids": ["sg-0ep"], "route_table_ids": []}
    res["aws_subnet.other"] = {"id": "subnet-0other", "vpc_id": vpc, "cidr_block": "10.9.2.0/24"}
    changes = []
    for address, after in res.items():
        base, _, key = address.partition("[")
        type_, name = base.split(".")
        rc = {"address": address, "mode": "managed", "type": type_, "name": name,
              "provider_name": "registry.terraform.io/hashicorp/aws",
              "change": {"actions": ["no-op"], "before": dict(after, region="us-east-1"),
                         "after": dict(after, region="us-east-1"), "after_unknown": {}}}
        if key:
            rc["index"] = json.loads(key[:-1])
        changes.append(rc)
    path = tmp_path / "plan.json"
    path.write_text(json.dumps({"format_version": "1.2", "terraform_version": "1.9.8",
                                "resource_changes": changes}))
    from pullguard.api import check_plan
    return check_plan(str(path))


def test_log_driver_secret_needs_the_secretsmanager_endpoint(tmp_path):
    # logConfiguration.secretOptions are fetched at task start like secrets (specifying-sensitive-data)
    secret = "arn:aws:secretsmanager:us-east-1:123456789012:secret:datadog-AbCdEf"
    containers = [{"name": "app", "image": f"{REGISTRY}/app:1.0", "logConfiguration": {
        "logDriver": "awsfirelens", "options": {"Name": "datadog"},
        "secretOptions": [{"name": "apikey", "valueFrom": secret}]}}]
    found = fails(_endpoint_vpc(tmp_path, containers=containers), "PG503")
    assert set(found) == {("aws_ecs_service.app", None)}
    assert "lacks `secretsmanager` (Secrets Manager, for the log driver secret `apikey` of container `app`)" \
        in found[("aws_ecs_service.app", None)]
    # near miss: the secretsmanager endpoint is there (in another subnet of the VPC)
    assert fails(_endpoint_vpc(tmp_path, containers=containers,
                               interface=("ecr.api", "ecr.dkr", "secretsmanager")), "PG503") == {}


def test_s3_gateway_endpoint_policy_must_allow_the_ecr_layer_bucket(tmp_path):
    import json

    def policy(*resources, **extra):
        return json.dumps({"Version": "2012-10-17", "Statement": [dict({
            "Effect": "Allow", "Principal": "*", "Action": ["s3:GetObject", "s3:PutObject"],
            "Resource": list(resources)}, **extra)]})
    own = policy("arn:aws:s3:::acme-*/*")
    found = fails(_endpoint_vpc(tmp_path, s3={"policy": own}), "PG503")
    assert "aws_vpc_endpoint.s3's endpoint policy does not allow s3:GetObject on the ECR layer bucket " \
           "arn:aws:s3:::prod-us-east-1-starport-layer-bucket/*" in found[("aws_ecs_service.app", None)]
    # near misses: the layer bucket allowed, or everything
    assert fails(_endpoint_vpc(tmp_path, s3={"policy": policy("arn:aws:s3:::acme-*/*", LAYERS)}), "PG503") == {}
    assert fails(_endpoint_vpc(tmp_path, s3={"policy": policy("*")}), "PG503") == {}
    # only for some principals, or under a condition: who signs ECR's layer URL is AWS's fact
    result = _endpoint_vpc(tmp_path, s3={"policy": policy(LAYERS, Condition={
        "StringEquals": {"aws:PrincipalAccount": "123456789012"}})})
    assert fails(result, "PG503") == {}
    assert "aws_vpc_endpoint.s3.policy (whether the statement #0 applies" in \
        undecided(result, "PG503")[("aws_ecs_service.app", None)]


def test_s3_interface_endpoint_does_not_serve_ecr_layers(tmp_path):
    # "The interface endpoints for Amazon S3 can't be used with Amazon ECR" (ECS vpc-endpoints)
    found = fails(_endpoint_vpc(tmp_path, s3={"vpc_endpoint_type": "Interface", "private_dns_enabled": True,
                                              "route_table_ids": [], "subnet_ids": ["subnet-0t"],
                                              "security_group_ids": ["sg-0ep"]}), "PG503")
    assert "aws_vpc_endpoint.s3 is an interface endpoint, which Amazon ECR does not use for image layers" \
        in found[("aws_ecs_service.app", None)]


def test_interface_endpoint_security_group_must_admit_443_from_the_tasks(tmp_path):
    def ingress(**rule):
        return [dict({"protocol": "tcp", "from_port": 443, "to_port": 443, "cidr_blocks": [],
                      "ipv6_cidr_blocks": [], "prefix_list_ids": [], "security_groups": [], "self": False}, **rule)]
    found = fails(_endpoint_vpc(tmp_path, endpoint_ingress=ingress(cidr_blocks=["10.9.2.0/24"])), "PG503")
    msg = found[("aws_ecs_service.app", None)]
    assert "lacks `ecr.api`" in msg and "`ecr.dkr`" in msg
    assert 'aws_vpc_endpoint.i["ecr.api"]\'s security groups (`aws_security_group.endpoints`) admit no TCP 443 ' \
           "from subnet `aws_subnet.tasks` or the task's security groups" in msg
    assert set(fails(_endpoint_vpc(tmp_path, endpoint_ingress=ingress(from_port=80, to_port=80,
                                                                      cidr_blocks=["0.0.0.0/0"])), "PG503"))
    # near misses: the task subnet's CIDR (or a covering one), or the task's security group
    for ok in (ingress(cidr_blocks=["10.9.1.0/24"]), ingress(cidr_blocks=["10.0.0.0/8"]),
               ingress(security_groups=["sg-0task"]), ingress(protocol="-1", from_port=0, to_port=0,
                                                             cidr_blocks=["10.9.0.0/16"])):
        assert fails(_endpoint_vpc(tmp_path, endpoint_ingress=ok), "PG503") == {}
