# Least-privilege execution roles: each service's role may write only to its own log group,
# written the usual way as "${aws_cloudwatch_log_group.<x>.arn}:*" (the provider's arn attribute
# has no trailing ":*").
# - "billing" writes to its own group: works.
# - "ledger" was split off billing and reuses billing's role, but logs to its own new group: the
#   role may not create streams there, so the task fails (AccessDeniedException on
#   logs:CreateLogStream).
terraform {
  required_providers {
    aws = { source = "hashicorp/aws" }
  }
}

provider "aws" {
  region = "eu-west-1"
}

data "aws_caller_identity" "current" {}

resource "aws_cloudwatch_log_group" "billing" {
  name              = "/services/billing"
  retention_in_days = 14
}

resource "aws_cloudwatch_log_group" "ledger" {
  name              = "/services/ledger"
  retention_in_days = 14
}

resource "aws_iam_role" "billing_execution" {
  name = "billing-execution"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Service = "ecs-tasks.amazonaws.com" }
      Action    = "sts:AssumeRole"
    }]
  })
}

resource "aws_iam_policy" "billing_execution" {
  name = "billing-execution"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid      = "Ecr"
        Effect   = "Allow"
        Action   = ["ecr:GetAuthorizationToken", "ecr:BatchCheckLayerAvailability", "ecr:GetDownloadUrlForLayer", "ecr:BatchGetImage"]
        Resource = "*"
      },
      {
        Sid      = "Logs"
        Effect   = "Allow"
        Action   = ["logs:CreateLogStream", "logs:PutLogEvents"]
        Resource = "${aws_cloudwatch_log_group.billing.arn}:*"
      },
    ]
  })
}

resource "aws_iam_role_policy_attachment" "billing_execution" {
  role       = aws_iam_role.billing_execution.name
  policy_arn = aws_iam_policy.billing_execution.arn
}

resource "aws_ecs_task_definition" "billing" {
  family                   = "billing"
  requires_compatibilities = ["FARGATE"]
  network_mode             = "awsvpc"
  cpu                      = "256"
  memory                   = "512"
  execution_role_arn       = aws_iam_role.billing_execution.arn
  container_definitions = jsonencode([{
    name      = "billing"
    image     = "${data.aws_caller_identity.current.account_id}.dkr.ecr.eu-west-1.amazonaws.com/billing:2024.06.1"
    essential = true
    logConfiguration = {
      logDriver = "awslogs"
      options = {
        awslogs-group         = aws_cloudwatch_log_group.billing.name
        awslogs-region        = "eu-west-1"
        awslogs-stream-prefix = "billing"
      }
    }
  }])
  depends_on = [aws_iam_role_policy_attachment.billing_execution]
}

resource "aws_ecs_task_definition" "ledger" {
  family                   = "ledger"
  requires_compatibilities = ["FARGATE"]
  network_mode             = "awsvpc"
  cpu                      = "256"
  memory                   = "512"
  execution_role_arn       = aws_iam_role.billing_execution.arn
  container_definitions = jsonencode([{
    name      = "ledger"
    image     = "${data.aws_caller_identity.current.account_id}.dkr.ecr.eu-west-1.amazonaws.com/ledger:2024.06.1"
    essential = true
    logConfiguration = {
      logDriver = "awslogs"
      options = {
        awslogs-group         = aws_cloudwatch_log_group.ledger.name
        awslogs-region        = "eu-west-1"
        awslogs-stream-prefix = "ledger"
      }
    }
  }])
  depends_on = [aws_iam_role_policy_attachment.billing_execution]
}
