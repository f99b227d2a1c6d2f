# A workload VPC without NAT gateways (removed to save cost) and no VPC endpoints. Its private route
# table only reaches a shared-services VPC over a peering connection (10.50.0.0/16). A second route
# table ("egress via shared services") sends 0.0.0.0/0 into the peering connection, hoping the shared
# VPC's NAT gateway will forward it: VPC peering does not support edge-to-edge routing through a NAT
# gateway or internet gateway, so that default route leads nowhere either. Both services time out
# pulling their ECR image: "dial tcp ...:443: i/o timeout".
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
  registry = "${data.aws_caller_identity.current.account_id}.dkr.ecr.us-east-1.amazonaws.com"
}

resource "aws_vpc" "workload" {
  cidr_block           = "10.40.0.0/16"
  enable_dns_support   = true
  enable_dns_hostnames = true
}

resource "aws_vpc" "shared" {
  cidr_block = "10.50.0.0/16"
}

resource "aws_vpc_peering_connection" "shared" {
  vpc_id      = aws_vpc.workload.id
  peer_vpc_id = aws_vpc.shared.id
  auto_accept = true
}

resource "aws_subnet" "app" {
  for_each          = { a = "10.40.1.0/24", b = "10.40.2.0/24" }
  vpc_id            = aws_vpc.workload.id
  availability_zone = "us-east-1${each.key}"
  cidr_block        = each.value
}

resource "aws_subnet" "jobs" {
  vpc_id            = aws_vpc.workload.id
  availability_zone = "us-east-1a"
  cidr_block        = "10.40.10.0/24"
}

resource "aws_route_table" "app" {
  vpc_id = aws_vpc.workload.id
}

resource "aws_route" "app_to_shared" {
  route_table_id            = aws_route_table.app.id
  destination_cidr_block    = aws_vpc.shared.cidr_block
  vpc_peering_connection_id = aws_vpc_peering_connection.shared.id
}

resource "aws_route_table" "jobs" {
  vpc_id = aws_vpc.workload.id
}

resource "aws_route" "jobs_default_via_peering" {
  route_table_id            = aws_route_table.jobs.id
  destination_cidr_block    = "0.0.0.0/0"
  vpc_peering_connection_id = aws_vpc_peering_connection.shared.id
}

resource "aws_route_table_association" "app" {
  for_each       = aws_subnet.app
  subnet_id      = each.value.id
  route_table_id = aws_route_table.app.id
}

resource "aws_route_table_association" "jobs" {
  subnet_id      = aws_subnet.jobs.id
  route_table_id = aws_route_table.jobs.id
}

resource "aws_security_group" "tasks" {
  name   = "workload-tasks"
  vpc_id = aws_vpc.workload.id
  egress {
    from_port   = 0
    to_port     = 0
    protocol    = "-1"
    cidr_blocks = ["0.0.0.0/0"]
  }
}

resource "aws_iam_role" "execution" {
  name = "workload-execution"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Principal = { Service = "ecs-tasks.amazonaws.com" }, Action = "sts:AssumeRole" }]
  })
}

resource "aws_iam_role_policy_attachment" "execution" {
  role       = aws_iam_role.execution.name
  policy_arn = "arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy"
}

resource "aws_cloudwatch_log_group" "workload" {
  name = "/ecs/workload"
}

resource "aws_ecs_cluster" "workload" {
  name = "workload"
}

resource "aws_ecs_task_definition" "api" {
  family                   = "api"
  requires_compatibilities = ["FARGATE"]
  network_mode             = "awsvpc"
  cpu                      = "256"
  memory                   = "512"
  execution_role_arn       = aws_iam_role.execution.arn
  container_definitions = jsonencode([{
    name      = "api"
    image     = "${local.registry}/api:3.2.0"
    essential = true
    logConfiguration = {
      logDriver = "awslogs"
      options = {
        awslogs-group         = aws_cloudwatch_log_group.workload.name
        awslogs-region        = "us-east-1"
        awslogs-stream-prefix = "api"
      }
    }
  }])
  depends_on = [aws_iam_role_policy_attachment.execution]
}

resource "aws_ecs_task_definition" "report" {
  family                   = "report"
  requires_compatibilities = ["FARGATE"]
  network_mode             = "awsvpc"
  cpu                      = "256"
  memory                   = "512"
  execution_role_arn       = aws_iam_role.execution.arn
  container_definitions = jsonencode([{
    name      = "report"
    image     = "${local.registry}/report:2024.11.3"
    essential = true
  }])
  depends_on = [aws_iam_role_policy_attachment.execution]
}

resource "aws_ecs_service" "api" {
  name            = "api"
  cluster         = aws_ecs_cluster.workload.id
  task_definition = aws_ecs_task_definition.api.arn
  desired_count   = 2
  launch_type     = "FARGATE"
  network_configuration {
    subnets         = [for s in aws_subnet.app : s.id]
    security_groups = [aws_security_group.tasks.id]
  }
}

resource "aws_ecs_service" "report" {
  name            = "report"
  cluster         = aws_ecs_cluster.workload.id
  task_definition = aws_ecs_task_definition.report.arn
  desired_count   = 1
  launch_type     = "FARGATE"
  network_configuration {
    subnets         = [aws_subnet.jobs.id]
    security_groups = [aws_security_group.tasks.id]
  }
}
