# A data platform VPC without internet access, one subnet tier per team, each with its own route
# table. Interface endpoints for ecr.api, ecr.dkr and logs (private DNS on) have a security group
# that admits HTTPS only from the tiers listed in it (orders, billing, archive). Two S3
# gateway endpoints exist, because the security team restricted S3 by endpoint policy:
# - s3_restricted (orders' route table) allows only the company's own buckets, so ECR image
#   layers, which Fargate downloads from the ECR layer bucket prod-us-east-1-starport-layer-bucket,
#   are denied by the endpoint: the pull fails after the manifest.
# - s3_platform (billing's and reporting's route tables) also allows the ECR layer bucket: fine.
# An S3 interface endpoint (private DNS on) was added for the analysts' tools.
# - orders: layers blocked by the S3 endpoint policy.
# - billing: everything it needs is there and usable.
# - reporting: its tier (10.30.30.0/24) was added later; the endpoints' group does not admit it,
#   so the connections to ecr.api, ecr.dkr and logs time out.
# - archive: its route table is on no S3 gateway endpoint; the S3 interface endpoint does not
#   serve ECR image layers (the ECS documentation says the interface endpoints for Amazon S3 can't
#   be used with Amazon ECR).
terraform {
  required_providers {
    aws = { source = "hashicorp/aws" }
  }
}

provider "aws" {
  region = "us-east-1"
}

data "aws_caller_identity" "current" {}

locals {
  region   = "us-east-1"
  registry = "${data.aws_caller_identity.current.account_id}.dkr.ecr.${local.region}.amazonaws.com"
  tiers = {
    orders    = "10.30.10.0/24"
    billing   = "10.30.20.0/24"
    reporting = "10.30.30.0/24"
    archive   = "10.30.40.0/24"
  }
}

resource "aws_vpc" "data" {
  cidr_block           = "10.30.0.0/16"
  enable_dns_support   = true
  enable_dns_hostnames = true
}

resource "aws_subnet" "tier" {
  for_each          = local.tiers
  vpc_id            = aws_vpc.data.id
  cidr_block        = each.value
  availability_zone = "us-east-1a"
}

resource "aws_route_table" "tier" {
  for_each = local.tiers
  vpc_id   = aws_vpc.data.id
}

resource "aws_route_table_association" "tier" {
  for_each       = local.tiers
  subnet_id      = aws_subnet.tier[each.key].id
  route_table_id = aws_route_table.tier[each.key].id
}

resource "aws_security_group" "endpoints" {
  name   = "data-endpoints"
  vpc_id = aws_vpc.data.id
}

resource "aws_vpc_security_group_ingress_rule" "endpoints" {
  for_each          = toset(["orders", "billing", "archive"])
  security_group_id = aws_security_group.endpoints.id
  description       = "HTTPS from the ${each.key} tier"
  ip_protocol       = "tcp"
  from_port         = 443
  to_port           = 443
  cidr_ipv4         = local.tiers[each.key]
}

resource "aws_vpc_endpoint" "interface" {
  for_each            = toset(["ecr.api", "ecr.dkr", "logs"])
  vpc_id              = aws_vpc.data.id
  service_name        = "com.amazonaws.${local.region}.${each.key}"
  vpc_endpoint_type   = "Interface"
  private_dns_enabled = true
  subnet_ids          = [aws_subnet.tier["billing"].id]
  security_group_ids  = [aws_security_group.endpoints.id]
}

data "aws_iam_policy_document" "s3_restricted" {
  statement {
    sid       = "CompanyBucketsOnly"
    actions   = ["s3:GetObject", "s3:PutObject", "s3:ListBucket"]
    resources = ["arn:aws:s3:::acme-data-*", "arn:aws:s3:::acme-data-*/*"]
    principals {
      type        = "*"
      identifiers = ["*"]
    }
  }
}

data "aws_iam_policy_document" "s3_platform" {
  source_policy_documents = [data.aws_iam_policy_document.s3_restricted.json]
  statement {
    sid       = "EcrImageLayers"
    actions   = ["s3:GetObject"]
    resources = ["arn:aws:s3:::prod-${local.region}-starport-layer-bucket/*"]
    principals {
      type        = "*"
      identifiers = ["*"]
    }
  }
}

resource "aws_vpc_endpoint" "s3_restricted" {
  vpc_id            = aws_vpc.data.id
  service_name      = "com.amazonaws.${local.region}.s3"
  vpc_endpoint_type = "Gateway"
  route_table_ids   = [aws_route_table.tier["orders"].id]
  policy            = data.aws_iam_policy_document.s3_restricted.json
}

resource "aws_vpc_endpoint" "s3_platform" {
  vpc_id            = aws_vpc.data.id
  service_name      = "com.amazonaws.${local.region}.s3"
  vpc_endpoint_type = "Gateway"
  route_table_ids   = [aws_route_table.tier["billing"].id, aws_route_table.tier["reporting"].id]
  policy            = data.aws_iam_policy_document.s3_platform.json
}

resource "aws_vpc_endpoint" "s3_interface" {
  vpc_id              = aws_vpc.data.id
  service_name        = "com.amazonaws.${local.region}.s3"
  vpc_endpoint_type   = "Interface"
  private_dns_enabled = true
  subnet_ids          = [aws_subnet.tier["archive"].id]
  security_group_ids  = [aws_security_group.endpoints.id]
  depends_on          = [aws_vpc_endpoint.s3_restricted, aws_vpc_endpoint.s3_platform]
}

resource "aws_security_group" "tasks" {
  name   = "data-tasks"
  vpc_id = aws_vpc.data.id
  egress {
    from_port   = 443
    to_port     = 443
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }
}

data "aws_iam_policy_document" "assume" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["ecs-tasks.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "execution" {
  name               = "data-execution"
  assume_role_policy = data.aws_iam_policy_document.assume.json
}

resource "aws_iam_role_policy_attachment" "execution" {
  role       = aws_iam_role.execution.name
  policy_arn = "arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy"
}

resource "aws_cloudwatch_log_group" "data" {
  name = "/ecs/data"
}

resource "aws_ecs_cluster" "data" {
  name = "data"
}

resource "aws_ecs_task_definition" "tier" {
  for_each                 = local.tiers
  family                   = "data-${each.key}"
  requires_compatibilities = ["FARGATE"]
  network_mode             = "awsvpc"
  cpu                      = "1024"
  memory                   = "2048"
  execution_role_arn       = aws_iam_role.execution.arn
  container_definitions = jsonencode([{
    name      = each.key
    image     = "${local.registry}/data-${each.key}:2026.11.2"
    essential = true
    logConfiguration = {
      logDriver = "awslogs"
      options = {
        awslogs-group         = aws_cloudwatch_log_group.data.name
        awslogs-region        = local.region
        awslogs-stream-prefix = each.key
      }
    }
  }])
  depends_on = [aws_iam_role_policy_attachment.execution]
}

resource "aws_ecs_service" "tier" {
  for_each        = local.tiers
  name            = each.key
  cluster         = aws_ecs_cluster.data.id
  task_definition = aws_ecs_task_definition.tier[each.key].arn
  desired_count   = 1
  launch_type     = "FARGATE"
  network_configuration {
    subnets         = [aws_subnet.tier[each.key].id]
    security_groups = [aws_security_group.tasks.id]
  }
  depends_on = [aws_vpc_endpoint.interface, aws_vpc_endpoint.s3_restricted, aws_vpc_endpoint.s3_platform]
}
