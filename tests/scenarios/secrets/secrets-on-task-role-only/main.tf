# A developer gives the *task* role (the application's role) ssm:GetParameters and sets
# `task_role_arn`, believing that is what reads `secrets`. ECS reads `secrets` with the task
# *execution* role, which this task definition does not set: ECS refuses to register it
# ("When you are specifying container secrets, you must also specify a value for
# 'executionRoleArn'"), so the apply fails (PG701). The nginx sidecar has no secrets.
terraform {
  required_providers {
    aws = { source = "hashicorp/aws" }
  }
}

provider "aws" {
  region = "us-east-1"
}

resource "aws_ssm_parameter" "api_key" {
  name  = "/notifications/sendgrid-api-key"
  type  = "SecureString"
  value = "SG.fake-key-for-tests"
}

resource "aws_iam_role" "task" {
  name = "notifications-task"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Principal = { Service = "ecs-tasks.amazonaws.com" }, Action = "sts:AssumeRole" }]
  })
}

resource "aws_iam_role_policy" "task" {
  name = "parameters"
  role = aws_iam_role.task.id
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "ssm:GetParameters", Resource = aws_ssm_parameter.api_key.arn }]
  })
}

resource "aws_ecs_task_definition" "notifications" {
  family                   = "notifications"
  requires_compatibilities = ["FARGATE"]
  network_mode             = "awsvpc"
  cpu                      = "256"
  memory                   = "512"
  task_role_arn            = aws_iam_role.task.arn
  container_definitions = jsonencode([
    {
      name      = "app"
      image     = "public.ecr.aws/acme/notifications:1.4.0"
      essential = true
      secrets   = [{ name = "SENDGRID_API_KEY", valueFrom = aws_ssm_parameter.api_key.name }]
    },
    {
      name         = "nginx"
      image        = "public.ecr.aws/nginx/nginx:1.27"
      essential    = true
      portMappings = [{ containerPort = 80 }]
    },
  ])
}
