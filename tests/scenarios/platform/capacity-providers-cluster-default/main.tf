# A shared cluster with Fargate capacity providers and an EC2 Auto Scaling group capacity
# provider; the cluster's default strategy is FARGATE. Private subnets behind a NAT gateway (the
# network path works for every service). The services differ in how they are placed:
# - web sets neither launch_type nor a capacity provider strategy, so ECS uses the cluster's
#   default strategy (FARGATE), and it still pins platform version 1.3.0, retired in March 2026.
#   Its container also sends logs to Splunk with the HEC token from a JSON key of a Secrets Manager
#   secret (logConfiguration.secretOptions), which on Fargate needs 1.4.0 anyway.
# - api runs on FARGATE_SPOT with a FARGATE base and pins 1.4.0: fine, also with the same Splunk
#   token.
# - batch runs on the EC2 capacity provider: the container instance pulls the image, and no
#   Fargate platform version applies.
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
  name     = "shared"
  registry = "${data.aws_caller_identity.current.account_id}.dkr.ecr.us-east-1.amazonaws.com"
}

resource "aws_vpc" "main" {
  cidr_block = "10.140.0.0/16"
}

resource "aws_internet_gateway" "main" {
  vpc_id = aws_vpc.main.id
}

resource "aws_subnet" "public" {
  vpc_id     = aws_vpc.main.id
  cidr_block = "10.140.0.0/24"
}

resource "aws_subnet" "private" {
  vpc_id     = aws_vpc.main.id
  cidr_block = "10.140.1.0/24"
}

resource "aws_eip" "nat" {
  domain = "vpc"
}

resource "aws_nat_gateway" "main" {
  allocation_id = aws_eip.nat.id
  subnet_id     = aws_subnet.public.id
}

resource "aws_route_table" "public" {
  vpc_id = aws_vpc.main.id
  route {
    cidr_block = "0.0.0.0/0"
    gateway_id = aws_internet_gateway.main.id
  }
}

resource "aws_route_table" "private" {
  vpc_id = aws_vpc.main.id
  route {
    cidr_block     = "0.0.0.0/0"
    nat_gateway_id = aws_nat_gateway.main.id
  }
}

resource "aws_route_table_association" "public" {
  subnet_id      = aws_subnet.public.id
  route_table_id = aws_route_table.public.id
}

resource "aws_route_table_association" "private" {
  subnet_id      = aws_subnet.private.id
  route_table_id = aws_route_table.private.id
}

resource "aws_security_group" "tasks" {
  name   = "${local.name}-tasks"
  vpc_id = aws_vpc.main.id
  egress {
    from_port   = 0
    to_port     = 0
    protocol    = "-1"
    cidr_blocks = ["0.0.0.0/0"]
  }
}

# --- EC2 capacity ------------------------------------------------------------------------------
resource "aws_launch_template" "ecs" {
  name_prefix   = "${local.name}-ecs-"
  image_id      = "ami-0123456789abcdef0"
  instance_type = "m6i.large"
  user_data     = base64encode("#!/bin/bash\necho ECS_CLUSTER=${local.name} >> /etc/ecs/ecs.config\n")
}

resource "aws_autoscaling_group" "ecs" {
  name_prefix         = "${local.name}-ecs-"
  min_size            = 0
  max_size            = 4
  vpc_zone_identifier = [aws_subnet.private.id]
  launch_template {
    id      = aws_launch_template.ecs.id
    version = "$Latest"
  }
  tag {
    key                 = "AmazonECSManaged"
    value               = "true"
    propagate_at_launch = true
  }
}

resource "aws_ecs_capacity_provider" "ec2" {
  name = "${local.name}-ec2"
  auto_scaling_group_provider {
    auto_scaling_group_arn = aws_autoscaling_group.ecs.arn
    managed_scaling {
      status          = "ENABLED"
      target_capacity = 90
    }
  }
}

resource "aws_ecs_cluster" "main" {
  name = local.name
}

resource "aws_ecs_cluster_capacity_providers" "main" {
  cluster_name       = aws_ecs_cluster.main.name
  capacity_providers = ["FARGATE", "FARGATE_SPOT", aws_ecs_capacity_provider.ec2.name]
  default_capacity_provider_strategy {
    capacity_provider = "FARGATE"
    base              = 1
    weight            = 1
  }
}

# --- roles, secrets ------------------------------------------------------------------------------
resource "aws_secretsmanager_secret" "splunk" {
  name = "${local.name}/splunk-hec"
}

resource "aws_iam_role" "execution" {
  name = "${local.name}-execution"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Principal = { Service = "ecs-tasks.amazonaws.com" }, Action = "sts:AssumeRole" }]
  })
}

resource "aws_iam_role_policy_attachment" "execution" {
  role       = aws_iam_role.execution.name
  policy_arn = "arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy"
}

resource "aws_iam_role_policy" "splunk" {
  name = "splunk-hec-token"
  role = aws_iam_role.execution.id
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "secretsmanager:GetSecretValue", Resource = aws_secretsmanager_secret.splunk.arn }]
  })
}

# --- task definitions and services ---------------------------------------------------------------
locals {
  splunk = {
    logDriver = "splunk"
    options = {
      splunk-url    = "https://http-inputs-acme.splunkcloud.com:443"
      splunk-index  = "ecs"
      splunk-format = "json"
    }
    secretOptions = [{ name = "splunk-token", valueFrom = "${aws_secretsmanager_secret.splunk.arn}:hec_token::" }]
  }
}

resource "aws_ecs_task_definition" "app" {
  for_each                 = toset(["web", "api"])
  family                   = "${local.name}-${each.key}"
  requires_compatibilities = ["FARGATE"]
  network_mode             = "awsvpc"
  cpu                      = "512"
  memory                   = "1024"
  execution_role_arn       = aws_iam_role.execution.arn
  container_definitions = jsonencode([{
    name             = each.key
    image            = "${local.registry}/${each.key}:4.2.0"
    essential        = true
    logConfiguration = local.splunk
  }])
  depends_on = [aws_iam_role_policy_attachment.execution, aws_iam_role_policy.splunk]
}

resource "aws_ecs_task_definition" "batch" {
  family                   = "${local.name}-batch"
  requires_compatibilities = ["EC2"]
  network_mode             = "awsvpc"
  cpu                      = "1024"
  memory                   = "2048"
  execution_role_arn       = aws_iam_role.execution.arn
  container_definitions = jsonencode([{
    name      = "batch"
    image     = "${local.registry}/batch:4.2.0"
    essential = true
  }])
  depends_on = [aws_iam_role_policy_attachment.execution]
}

resource "aws_ecs_service" "web" {
  name             = "web"
  cluster          = aws_ecs_cluster.main.id
  task_definition  = aws_ecs_task_definition.app["web"].arn
  desired_count    = 2
  platform_version = "1.3.0"
  network_configuration {
    subnets         = [aws_subnet.private.id]
    security_groups = [aws_security_group.tasks.id]
  }
  depends_on = [aws_ecs_cluster_capacity_providers.main]
}

resource "aws_ecs_service" "api" {
  name             = "api"
  cluster          = aws_ecs_cluster.main.id
  task_definition  = aws_ecs_task_definition.app["api"].arn
  desired_count    = 4
  platform_version = "1.4.0"
  capacity_provider_strategy {
    capacity_provider = "FARGATE"
    base              = 1
    weight            = 1
  }
  capacity_provider_strategy {
    capacity_provider = "FARGATE_SPOT"
    weight            = 3
  }
  network_configuration {
    subnets         = [aws_subnet.private.id]
    security_groups = [aws_security_group.tasks.id]
  }
  depends_on = [aws_ecs_cluster_capacity_providers.main]
}

resource "aws_ecs_service" "batch" {
  name            = "batch"
  cluster         = aws_ecs_cluster.main.id
  task_definition = aws_ecs_task_definition.batch.arn
  desired_count   = 1
  capacity_provider_strategy {
    capacity_provider = aws_ecs_capacity_provider.ec2.name
    weight            = 1
  }
  network_configuration {
    subnets         = [aws_subnet.private.id]
    security_groups = [aws_security_group.tasks.id]
  }
  depends_on = [aws_ecs_cluster_capacity_providers.main]
}
