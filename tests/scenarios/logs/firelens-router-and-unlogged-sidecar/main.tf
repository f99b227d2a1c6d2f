# FireLens: the app container logs through the awsfirelens driver to a Fluent Bit router, which
# ships to CloudWatch Logs with the TASK role (Fluent Bit's cloudwatch output), not the execution
# role. The router itself logs with awslogs to a group this stack creates; a metrics sidecar has
# no logConfiguration at all. The execution role only has ECR pulls and the router's log group.
# Nothing here needs the execution role for the app's logs: PG703/PG704 do not apply to
# awsfirelens or to containers without a log configuration.
terraform {
  required_providers {
    aws = { source = "hashicorp/aws" }
  }
}

provider "aws" {
  region = "us-east-2"
}

data "aws_caller_identity" "current" {}
data "aws_region" "current" {}

locals {
  account = data.aws_caller_identity.current.account_id
  region  = data.aws_region.current.name
}

resource "aws_cloudwatch_log_group" "router" {
  name = "/ecs/catalog/firelens"
}

resource "aws_cloudwatch_log_group" "app" {
  name = "/ecs/catalog/app"
}

data "aws_iam_policy_document" "ecs_tasks" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["ecs-tasks.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "execution" {
  name               = "catalog-execution"
  assume_role_policy = data.aws_iam_policy_document.ecs_tasks.json
}

resource "aws_iam_role_policy" "execution" {
  name = "pull-and-router-logs"
  role = aws_iam_role.execution.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Effect   = "Allow"
        Action   = ["ecr:GetAuthorizationToken"]
        Resource = "*"
      },
      {
        Effect   = "Allow"
        Action   = ["ecr:BatchCheckLayerAvailability", "ecr:GetDownloadUrlForLayer", "ecr:BatchGetImage"]
        Resource = "arn:aws:ecr:${local.region}:${local.account}:repository/catalog/*"
      },
      {
        Effect   = "Allow"
        Action   = ["logs:CreateLogStream", "logs:PutLogEvents"]
        Resource = "arn:aws:logs:${local.region}:${local.account}:log-group:/ecs/catalog/firelens:*"
      },
    ]
  })
}

# the task role is what Fluent Bit uses to write the application logs
resource "aws_iam_role" "task" {
  name               = "catalog-task"
  assume_role_policy = data.aws_iam_policy_document.ecs_tasks.json
}

resource "aws_iam_role_policy" "task_logs" {
  name = "firelens-cloudwatch"
  role = aws_iam_role.task.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect   = "Allow"
      Action   = ["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"]
      Resource = "arn:aws:logs:${local.region}:${local.account}:log-group:/ecs/catalog/app:*"
    }]
  })
}

resource "aws_ecs_task_definition" "catalog" {
  family                   = "catalog"
  requires_compatibilities = ["FARGATE"]
  network_mode             = "awsvpc"
  cpu                      = "512"
  memory                   = "1024"
  execution_role_arn       = aws_iam_role.execution.arn
  task_role_arn            = aws_iam_role.task.arn

  container_definitions = jsonencode([
    {
      name      = "log_router"
      image     = "public.ecr.aws/aws-observability/aws-for-fluent-bit:2.32.2"
      essential = true
      firelensConfiguration = {
        type    = "fluentbit"
        options = { enable-ecs-log-metadata = "true" }
      }
      logConfiguration = {
        logDriver = "awslogs"
        options = {
          awslogs-group         = aws_cloudwatch_log_group.router.name
          awslogs-region        = local.region
          awslogs-stream-prefix = "firelens"
        }
      }
    },
    {
      name      = "app"
      image     = "${local.account}.dkr.ecr.${local.region}.amazonaws.com/catalog/app:7.0.4"
      essential = true
      dependsOn = [{ containerName = "log_router", condition = "START" }]
      logConfiguration = {
        logDriver = "awsfirelens"
        options = {
          Name              = "cloudwatch_logs"
          region            = local.region
          log_group_name    = aws_cloudwatch_log_group.app.name
          log_stream_prefix = "app/"
          auto_create_group = "false"
        }
      }
    },
    {
      name      = "metrics"
      image     = "${local.account}.dkr.ecr.${local.region}.amazonaws.com/catalog/statsd-exporter:0.26.1"
      essential = false
    },
  ])

  depends_on = [aws_iam_role_policy.execution, aws_iam_role_policy.task_logs]
}
