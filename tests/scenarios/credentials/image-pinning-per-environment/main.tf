# One task definition per environment (count). Staging follows `latest` of the ECR image and the
# nginx sidecar has no tag at all (implicit latest): ECS resolves a tag to a digest only within one
# service deployment, so every new deployment, standalone or scheduled task pulls whatever
# `latest` is then, and rolling back to this revision does not bring back the old code.
# Production pins a digest; the sidecar tag "latest-1.27" is a version tag that only looks like latest.
terraform {
  required_providers {
    aws = { source = "hashicorp/aws" }
  }
}

provider "aws" {
  region = "ca-central-1"
}

variable "environments" {
  type = list(object({ name = string, app_ref = string, proxy = string }))
  default = [
    { name = "staging", app_ref = ":latest", proxy = "public.ecr.aws/nginx/nginx" },
    { name = "production", app_ref = "@sha256:c3ab8ff13720e8ad9047dd39466b3c8974e592c2fa383d4a3960714caef0c4f2", proxy = "public.ecr.aws/nginx/nginx:latest-1.27" },
  ]
}

data "aws_caller_identity" "current" {}

resource "aws_iam_role" "execution" {
  name = "ledger-execution"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Service = "ecs-tasks.amazonaws.com" }
      Action    = "sts:AssumeRole"
    }]
  })
}

resource "aws_iam_role_policy_attachment" "execution" {
  role       = aws_iam_role.execution.name
  policy_arn = "arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy"
}

resource "aws_ecs_task_definition" "ledger" {
  count                    = length(var.environments)
  family                   = "ledger-${var.environments[count.index].name}"
  requires_compatibilities = ["FARGATE"]
  network_mode             = "awsvpc"
  cpu                      = "512"
  memory                   = "1024"
  execution_role_arn       = aws_iam_role.execution.arn
  container_definitions = jsonencode([
    {
      name      = "app"
      image     = "${data.aws_caller_identity.current.account_id}.dkr.ecr.ca-central-1.amazonaws.com/ledger/app${var.environments[count.index].app_ref}"
      essential = true
    },
    {
      name      = "proxy"
      image     = var.environments[count.index].proxy
      essential = true
    },
  ])
  depends_on = [aws_iam_role_policy_attachment.execution]
}
