"""PG501: no NAT/IGW path and none of the VPC endpoints the task needs (net_paths fixture)."""
from rulecase import fails, undecided
from test_pg50x_network_plans import net, net_applied  # noqa: F401 (fixtures)

BARE = "module.bare.aws_ecs_service.isolated"


def test_fail_bare_vpc_in_a_module_with_counted_subnets(net):
    # subnets = aws_subnet.private[*].id: every instance of the counted subnet, none routed anywhere
    found = fails(net, "PG501")
    assert set(found) == {(BARE, None)}
    msg = found[(BARE, None)]
    assert "`module.bare.aws_subnet.private[0]` has no 0.0.0.0/0 route" in msg
    assert "(ecr.api, ecr.dkr, logs, s3)" in msg
    assert "i/o timeout" in msg
    assert "also true of 1 other subnet" in msg


def test_pass_nat_public_ip_and_complete_endpoints(net):
    found, und = fails(net, "PG501"), undecided(net, "PG501")
    for ok in ('aws_ecs_service.nat["ecr"]', 'aws_ecs_service.public["pub"]', 'aws_ecs_service.endpoints["ecr"]'):
        assert (ok, None) not in found and (ok, None) not in und


def test_one_root_cause_the_more_specific_rules_win(net):
    # public subnet (PG502), missing S3 endpoint (PG503), Docker Hub behind endpoints (PG504): not PG501
    found = fails(net, "PG501")
    for specific in ('aws_ecs_service.public["nopub"]', "aws_ecs_service.none", "aws_ecs_service.nos3",
                     'aws_ecs_service.endpoints["hub"]'):
        assert (specific, None) not in found


def test_undecided_subnets_through_a_local(net):
    assert undecided(net, "PG501") == {
        ("aws_ecs_service.via_local", None):
            "aws_ecs_service.via_local.network_configuration[0].subnets (the subnets: known after apply, and "
            "the configuration does not say which)"}


def test_after_apply_local_subnets_pass_and_unmanaged_main_route_table_is_undecided(net_applied):
    assert fails(net_applied, "PG501") == {}
    # the module's VPC exists now and its main route table is not in the plan: its routes are not known
    assert undecided(net_applied, "PG501") == {
        (BARE, None): "the main route table of module.bare.aws_vpc.this (not managed in the plan: its routes "
                      "are not known)"}


def test_network_configuration_written_as_a_dynamic_block_is_read_from_the_source(tmp_path):
    # terraform-aws-modules/ecs writes `dynamic "network_configuration"` over a local whose security
    # groups are flatten(concat([aws_security_group.this.id], var.ids)): in a first plan the subnets
    # and groups come from the source, through the dynamic block's iterator
    from types import SimpleNamespace

    from pullguard.parse.source import Source
    from pullguard.values import Ref, Unknown
    (tmp_path / "main.tf").write_text('''
locals {
  net = { subnets = [aws_subnet.a.id, aws_subnet.b.id], security_groups = flatten(concat([aws_security_group.t.id], [])) }
}
resource "aws_subnet" "a" {}
resource "aws_subnet" "b" {}
resource "aws_security_group" "t" {}
resource "aws_ecs_service" "svc" {
  dynamic "network_configuration" {
    for_each = [local.net]
    content {
      subnets         = network_configuration.value.subnets
      security_groups = network_configuration.value.security_groups
    }
  }
}
''')
    pending = SimpleNamespace(get=lambda attr, default=None: Unknown(attr))
    snap = SimpleNamespace(get=lambda address: pending, instances_of=lambda base: [])
    svc = SimpleNamespace(module="", mode="managed", type="aws_ecs_service", name="svc", index=None,
                          address="aws_ecs_service.svc")
    source = Source(tmp_path, {}, [])
    assert source.value_at(svc, ("network_configuration", 0, "subnets"), snap) == [
        Ref("aws_subnet.a", "id"), Ref("aws_subnet.b", "id")]
    assert source.value_at(svc, ("network_configuration", 0, "security_groups"), snap) == [
        Ref("aws_security_group.t", "id")]
    assert source.value_at(svc, ("network_configuration", 1, "subnets"), snap) is None
