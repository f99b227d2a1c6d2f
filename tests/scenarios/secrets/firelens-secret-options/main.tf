# The API ships its logs to Datadog through FireLens; the Datadog API key is passed to the log
# driver with logConfiguration.secretOptions from a SecureString parameter (aws/ssm key). The agent
# reads secretOptions with the execution role exactly like `secrets`. The role may read parameters
# under /observability/*, but the key was created under /platform/datadog/: ssm:GetParameters is
# refused and the task cannot start (PG702). The plain `secrets` entry under /observability/ passes.
terraform {
  required_providers {
    aws = { source = "hashicorp/aws" }
  }
}

provider "aws" {
  region = "us-west-2"
}

data "aws_caller_identity" "current" {}

resource "aws_ssm_parameter" "datadog_api_key" {
  name  = "/platform/datadog/api-key"
  type  = "SecureString"
  value = "fake-datadog-api-key"
}

resource "aws_ssm_parameter" "dd_site" {
  name  = "/observability/datadog/site"
  type  = "String"
  value = "datadoghq.eu"
}

resource "aws_iam_role" "execution" {
  name = "api-execution"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Principal = { Service = "ecs-tasks.amazonaws.com" }, Action = "sts:AssumeRole" }]
  })
}

resource "aws_iam_role_policy" "parameters" {
  name = "observability-parameters"
  role = aws_iam_role.execution.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect   = "Allow"
      Action   = ["ssm:GetParameters", "ssm:GetParameter"]
      Resource = "arn:aws:ssm:us-west-2:${data.aws_caller_identity.current.account_id}:parameter/observability/*"
    }]
  })
}

resource "aws_ecs_task_definition" "api" {
  family                   = "api"
  requires_compatibilities = ["FARGATE"]
  network_mode             = "awsvpc"
  cpu                      = "512"
  memory                   = "1024"
  execution_role_arn       = aws_iam_role.execution.arn
  container_definitions = jsonencode([
    {
      name                  = "log-router"
      image                 = "public.ecr.aws/aws-observability/aws-for-fluent-bit:2.32.2"
      essential             = true
      firelensConfiguration = { type = "fluentbit", options = { enable-ecs-log-metadata = "true" } }
    },
    {
      name      = "api"
      image     = "public.ecr.aws/acme/api:5.0.2"
      essential = true
      secrets   = [{ name = "DD_SITE", valueFrom = aws_ssm_parameter.dd_site.arn }]
      logConfiguration = {
        logDriver = "awsfirelens"
        options = {
          Name       = "datadog"
          Host       = "http-intake.logs.datadoghq.eu"
          TLS        = "on"
          dd_service = "api"
          provider   = "ecs"
        }
        secretOptions = [{ name = "apikey", valueFrom = aws_ssm_parameter.datadog_api_key.arn }]
      }
    },
  ])

  depends_on = [aws_iam_role_policy.parameters]
}
