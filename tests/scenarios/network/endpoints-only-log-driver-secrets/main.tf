# A PCI workload VPC with no internet gateway and no NAT: Fargate tasks reach AWS only through VPC
# endpoints. The platform team created ecr.api, ecr.dkr, logs and ssm interface endpoints (private
# DNS on, network interfaces in the first AZ's subnet only) and the S3 gateway endpoint. Services
# ship their logs with FireLens (Fluent Bit) to Datadog; the Datadog API key is a log driver
# secret (logConfiguration.secretOptions), which the ECS agent fetches at task start exactly like
# `secrets`.
# - checkout reads the key from Secrets Manager: there is no secretsmanager endpoint, so the
#   secret cannot be fetched and the task never starts.
# - catalog reads the key from an SSM SecureString parameter: the ssm endpoint is there; its
#   tasks run in the second AZ, where no endpoint has a network interface, which is fine (with
#   private DNS the endpoint names resolve VPC-wide).
# - search logs with awslogs and uses no secret: ecr.api, ecr.dkr, s3 and logs are all it needs.
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
  subnets  = { a = "10.80.0.0/22", b = "10.80.4.0/22" }
  datadog = {
    Name           = "datadog"
    Host           = "http-intake.logs.datadoghq.com"
    TLS            = "on"
    provider       = "ecs"
    dd_source      = "ecs"
    dd_message_key = "log"
  }
}

resource "aws_vpc" "pci" {
  cidr_block           = "10.80.0.0/16"
  enable_dns_support   = true
  enable_dns_hostnames = true
}

resource "aws_subnet" "private" {
  for_each          = local.subnets
  vpc_id            = aws_vpc.pci.id
  cidr_block        = each.value
  availability_zone = "${local.region}${each.key}"
}

resource "aws_route_table" "private" {
  vpc_id = aws_vpc.pci.id
}

resource "aws_route_table_association" "private" {
  for_each       = aws_subnet.private
  subnet_id      = each.value.id
  route_table_id = aws_route_table.private.id
}

resource "aws_security_group" "endpoints" {
  name   = "pci-endpoints"
  vpc_id = aws_vpc.pci.id
  ingress {
    description = "HTTPS from the VPC"
    from_port   = 443
    to_port     = 443
    protocol    = "tcp"
    cidr_blocks = [aws_vpc.pci.cidr_block]
  }
}

resource "aws_vpc_endpoint" "interface" {
  for_each            = toset(["ecr.api", "ecr.dkr", "logs", "ssm"])
  vpc_id              = aws_vpc.pci.id
  service_name        = "com.amazonaws.${local.region}.${each.key}"
  vpc_endpoint_type   = "Interface"
  private_dns_enabled = true
  subnet_ids          = [aws_subnet.private["a"].id]
  security_group_ids  = [aws_security_group.endpoints.id]
}

resource "aws_vpc_endpoint" "s3" {
  vpc_id            = aws_vpc.pci.id
  service_name      = "com.amazonaws.${local.region}.s3"
  vpc_endpoint_type = "Gateway"
  route_table_ids   = [aws_route_table.private.id]
}

resource "aws_security_group" "tasks" {
  name   = "pci-tasks"
  vpc_id = aws_vpc.pci.id
  egress {
    from_port   = 443
    to_port     = 443
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }
}

resource "aws_secretsmanager_secret" "datadog" {
  name = "pci/checkout/datadog-api-key"
}

resource "aws_ssm_parameter" "datadog" {
  name  = "/pci/catalog/datadog-api-key"
  type  = "SecureString"
  value = "placeholder-not-a-real-key"
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
  name               = "pci-execution"
  assume_role_policy = data.aws_iam_policy_document.assume.json
}

resource "aws_iam_role_policy_attachment" "execution" {
  role       = aws_iam_role.execution.name
  policy_arn = "arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy"
}

data "aws_iam_policy_document" "log_secrets" {
  statement {
    actions   = ["secretsmanager:GetSecretValue"]
    resources = [aws_secretsmanager_secret.datadog.arn]
  }
  statement {
    actions   = ["ssm:GetParameters"]
    resources = [aws_ssm_parameter.datadog.arn]
  }
}

resource "aws_iam_role_policy" "log_secrets" {
  name   = "log-driver-secrets"
  role   = aws_iam_role.execution.id
  policy = data.aws_iam_policy_document.log_secrets.json
}

resource "aws_cloudwatch_log_group" "pci" {
  name = "/ecs/pci"
}

locals {
  log_router = {
    name                  = "log_router"
    image                 = "${local.registry}/aws-for-fluent-bit:2.32.4"
    essential             = true
    firelensConfiguration = { type = "fluentbit" }
    logConfiguration = {
      logDriver = "awslogs"
      options = {
        awslogs-group         = aws_cloudwatch_log_group.pci.name
        awslogs-region        = local.region
        awslogs-stream-prefix = "firelens"
      }
    }
  }
  services = {
    checkout = aws_secretsmanager_secret.datadog.arn
    catalog  = aws_ssm_parameter.datadog.arn
  }
}

resource "aws_ecs_cluster" "pci" {
  name = "pci"
}

resource "aws_ecs_task_definition" "firelens" {
  for_each                 = local.services
  family                   = each.key
  requires_compatibilities = ["FARGATE"]
  network_mode             = "awsvpc"
  cpu                      = "512"
  memory                   = "1024"
  execution_role_arn       = aws_iam_role.execution.arn
  container_definitions = jsonencode([
    local.log_router,
    {
      name      = each.key
      image     = "${local.registry}/${each.key}:7.3.0"
      essential = true
      logConfiguration = {
        logDriver     = "awsfirelens"
        options       = merge(local.datadog, { dd_service = each.key })
        secretOptions = [{ name = "apikey", valueFrom = each.value }]
      }
    },
  ])
  depends_on = [aws_iam_role_policy_attachment.execution, aws_iam_role_policy.log_secrets]
}

resource "aws_ecs_task_definition" "search" {
  family                   = "search"
  requires_compatibilities = ["FARGATE"]
  network_mode             = "awsvpc"
  cpu                      = "512"
  memory                   = "1024"
  execution_role_arn       = aws_iam_role.execution.arn
  container_definitions = jsonencode([{
    name      = "search"
    image     = "${local.registry}/search:7.3.0"
    essential = true
    logConfiguration = {
      logDriver = "awslogs"
      options = {
        awslogs-group         = aws_cloudwatch_log_group.pci.name
        awslogs-region        = local.region
        awslogs-stream-prefix = "search"
      }
    }
  }])
  depends_on = [aws_iam_role_policy_attachment.execution]
}

resource "aws_ecs_service" "checkout" {
  name             = "checkout"
  cluster          = aws_ecs_cluster.pci.id
  task_definition  = aws_ecs_task_definition.firelens["checkout"].arn
  desired_count    = 2
  launch_type      = "FARGATE"
  platform_version = "1.4.0"
  network_configuration {
    subnets         = [for s in aws_subnet.private : s.id]
    security_groups = [aws_security_group.tasks.id]
  }
  depends_on = [aws_vpc_endpoint.interface, aws_vpc_endpoint.s3]
}

resource "aws_ecs_service" "catalog" {
  name            = "catalog"
  cluster         = aws_ecs_cluster.pci.id
  task_definition = aws_ecs_task_definition.firelens["catalog"].arn
  desired_count   = 2
  launch_type     = "FARGATE"
  network_configuration {
    subnets         = [aws_subnet.private["b"].id]
    security_groups = [aws_security_group.tasks.id]
  }
  depends_on = [aws_vpc_endpoint.interface, aws_vpc_endpoint.s3]
}

resource "aws_ecs_service" "search" {
  name            = "search"
  cluster         = aws_ecs_cluster.pci.id
  task_definition = aws_ecs_task_definition.search.arn
  desired_count   = 2
  launch_type     = "FARGATE"
  network_configuration {
    subnets         = [for s in aws_subnet.private : s.id]
    security_groups = [aws_security_group.tasks.id]
  }
  depends_on = [aws_vpc_endpoint.interface, aws_vpc_endpoint.s3]
}
