# Services of one Fargate cluster, private subnets behind a NAT gateway (the network path works).
# They differ in platform_version (as of late 2026):
# - legacy pins "1.3.0": retired on 2026-03-16, new tasks and services cannot use it.
# - billing pins "1.3.0" and reads one JSON key of a Secrets Manager secret (valueFrom
#   "<arn>:password::"), which needs 1.4.0 anyway.
# - spot runs on FARGATE_SPOT through a capacity provider strategy and still pins "1.3.0".
# - current uses "LATEST", pinned uses "1.4.0", default leaves it unset (LATEST): all fine.
terraform {
  required_providers {
    aws = { source = "hashicorp/aws" }
  }
}

provider "aws" {
  region = "us-east-1"
}

resource "aws_vpc" "main" {
  cidr_block = "10.120.0.0/16"
}

resource "aws_internet_gateway" "main" {
  vpc_id = aws_vpc.main.id
}

resource "aws_subnet" "public" {
  vpc_id     = aws_vpc.main.id
  cidr_block = "10.120.0.0/24"
}

resource "aws_subnet" "private" {
  vpc_id     = aws_vpc.main.id
  cidr_block = "10.120.1.0/24"
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
  name   = "fargate-tasks"
  vpc_id = aws_vpc.main.id
  egress {
    from_port   = 0
    to_port     = 0
    protocol    = "-1"
    cidr_blocks = ["0.0.0.0/0"]
  }
}

resource "aws_secretsmanager_secret" "billing_db" {
  name = "billing/db"
}

resource "aws_secretsmanager_secret_version" "billing_db" {
  secret_id     = aws_secretsmanager_secret.billing_db.id
  secret_string = jsonencode({ username = "billing", password = "placeholder-not-real" })
}

resource "aws_iam_role" "execution" {
  name = "fargate-execution"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Principal = { Service = "ecs-tasks.amazonaws.com" }, Action = "sts:AssumeRole" }]
  })
}

resource "aws_iam_role_policy_attachment" "execution" {
  role       = aws_iam_role.execution.name
  policy_arn = "arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy"
}

resource "aws_iam_role_policy" "billing_secret" {
  name = "billing-db-secret"
  role = aws_iam_role.execution.id
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "secretsmanager:GetSecretValue", Resource = aws_secretsmanager_secret.billing_db.arn }]
  })
}

resource "aws_ecs_cluster" "main" {
  name = "fargate"
}

resource "aws_ecs_cluster_capacity_providers" "main" {
  cluster_name       = aws_ecs_cluster.main.name
  capacity_providers = ["FARGATE", "FARGATE_SPOT"]
}

resource "aws_ecs_task_definition" "app" {
  family                   = "app"
  requires_compatibilities = ["FARGATE"]
  network_mode             = "awsvpc"
  cpu                      = "256"
  memory                   = "512"
  execution_role_arn       = aws_iam_role.execution.arn
  container_definitions = jsonencode([{
    name      = "app"
    image     = "123456789012.dkr.ecr.us-east-1.amazonaws.com/app:3.9.0"
    essential = true
  }])
  depends_on = [aws_iam_role_policy_attachment.execution]
}

resource "aws_ecs_task_definition" "billing" {
  family                   = "billing"
  requires_compatibilities = ["FARGATE"]
  network_mode             = "awsvpc"
  cpu                      = "256"
  memory                   = "512"
  execution_role_arn       = aws_iam_role.execution.arn
  container_definitions = jsonencode([{
    name      = "billing"
    image     = "123456789012.dkr.ecr.us-east-1.amazonaws.com/billing:3.9.0"
    essential = true
    secrets = [
      { name = "DB_PASSWORD", valueFrom = "${aws_secretsmanager_secret.billing_db.arn}:password::" },
    ]
  }])
  depends_on = [aws_iam_role_policy_attachment.execution, aws_iam_role_policy.billing_secret]
}

locals {
  versions = {
    legacy  = "1.3.0"
    current = "LATEST"
    pinned  = "1.4.0"
  }
}

resource "aws_ecs_service" "app" {
  for_each         = local.versions
  name             = each.key
  cluster          = aws_ecs_cluster.main.id
  task_definition  = aws_ecs_task_definition.app.arn
  desired_count    = 1
  launch_type      = "FARGATE"
  platform_version = each.value
  network_configuration {
    subnets         = [aws_subnet.private.id]
    security_groups = [aws_security_group.tasks.id]
  }
}

resource "aws_ecs_service" "default" {
  name            = "default"
  cluster         = aws_ecs_cluster.main.id
  task_definition = aws_ecs_task_definition.app.arn
  desired_count   = 1
  launch_type     = "FARGATE"
  network_configuration {
    subnets         = [aws_subnet.private.id]
    security_groups = [aws_security_group.tasks.id]
  }
}

resource "aws_ecs_service" "billing" {
  name             = "billing"
  cluster          = aws_ecs_cluster.main.id
  task_definition  = aws_ecs_task_definition.billing.arn
  desired_count    = 1
  launch_type      = "FARGATE"
  platform_version = "1.3.0"
  network_configuration {
    subnets         = [aws_subnet.private.id]
    security_groups = [aws_security_group.tasks.id]
  }
}

resource "aws_ecs_service" "spot" {
  name             = "spot"
  cluster          = aws_ecs_cluster.main.id
  task_definition  = aws_ecs_task_definition.app.arn
  desired_count    = 2
  platform_version = "1.3.0"
  capacity_provider_strategy {
    capacity_provider = "FARGATE_SPOT"
    weight            = 1
  }
  network_configuration {
    subnets         = [aws_subnet.private.id]
    security_groups = [aws_security_group.tasks.id]
  }
  depends_on = [aws_ecs_cluster_capacity_providers.main]
}
