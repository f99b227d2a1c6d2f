# Three batch workers get their own execution roles. The team copied the trust policy of the
# roles from older stacks: "worker" from an EC2 instance profile (ec2.amazonaws.com), "scheduler"
# from the old ECS service role (ecs.amazonaws.com). Only ecs-tasks.amazonaws.com can assume a
# task execution role, so those tasks stop with "ECS was unable to assume the role".
# "reporter" trusts both ecs-tasks and ec2 (one role shared with an instance profile): it works.
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
  workers = {
    worker    = ["ec2.amazonaws.com"]
    scheduler = ["ecs.amazonaws.com"]
    reporter  = ["ecs-tasks.amazonaws.com", "ec2.amazonaws.com"]
  }
}

resource "aws_iam_role" "execution" {
  for_each = local.workers
  name     = "batch-${each.key}-execution"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Service = each.value }
      Action    = "sts:AssumeRole"
    }]
  })
  # attached while the role is created, so the task definition (which references the role) waits for it
  managed_policy_arns = ["arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy"]
}

resource "aws_cloudwatch_log_group" "batch" {
  name = "/ecs/batch"
}

resource "aws_ecs_task_definition" "worker" {
  for_each                 = local.workers
  family                   = "batch-${each.key}"
  requires_compatibilities = ["FARGATE"]
  network_mode             = "awsvpc"
  cpu                      = "256"
  memory                   = "512"
  execution_role_arn       = aws_iam_role.execution[each.key].arn
  container_definitions = jsonencode([{
    name      = each.key
    image     = "${local.registry}/batch/${each.key}:2024.11.3"
    essential = true
    command   = ["run", each.key]
    logConfiguration = {
      logDriver = "awslogs"
      options = {
        awslogs-group         = aws_cloudwatch_log_group.batch.name
        awslogs-region        = "us-east-1"
        awslogs-stream-prefix = each.key
      }
    }
  }])
}
