# Two workers built from a local module share one execution role whose logs statement names the
# log groups by a hand-written list. The next change renames the "thumbnails" log group to the
# team's new naming scheme (var.thumbnails_log_group) but nobody updates the role policy: the
# new task definition's tasks fail to create their log stream (AccessDeniedException on
# logs:CreateLogStream). "resize" keeps its group and keeps working.
terraform {
  required_providers {
    aws = { source = "hashicorp/aws" }
  }
}

provider "aws" {
  region = "us-east-1"
}

variable "thumbnails_log_group" {
  type    = string
  default = "/ecs/thumbnails"
}

data "aws_caller_identity" "current" {}

locals {
  account = data.aws_caller_identity.current.account_id
  # the groups the workers log to, as first written
  log_groups = ["/ecs/thumbnails", "/ecs/resize"]
}

resource "aws_iam_role" "media_execution" {
  name = "media-workers-execution"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Service = "ecs-tasks.amazonaws.com" }
      Action    = "sts:AssumeRole"
    }]
  })
}

resource "aws_iam_role_policy" "media_execution" {
  name = "media-workers"
  role = aws_iam_role.media_execution.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid      = "Pull"
        Effect   = "Allow"
        Action   = ["ecr:GetAuthorizationToken", "ecr:BatchCheckLayerAvailability", "ecr:GetDownloadUrlForLayer", "ecr:BatchGetImage"]
        Resource = "*"
      },
      {
        Sid      = "Logs"
        Effect   = "Allow"
        Action   = ["logs:CreateLogStream", "logs:PutLogEvents"]
        Resource = [for g in local.log_groups : "arn:aws:logs:us-east-1:${local.account}:log-group:${g}:*"]
      },
    ]
  })
}

module "thumbnails" {
  source             = "./modules/worker"
  name               = "thumbnails"
  image              = "${local.account}.dkr.ecr.us-east-1.amazonaws.com/media/thumbnails:1.3.0"
  log_group_name     = var.thumbnails_log_group
  execution_role_arn = aws_iam_role.media_execution.arn
  depends_on         = [aws_iam_role_policy.media_execution]
}

module "resize" {
  source             = "./modules/worker"
  name               = "resize"
  image              = "${local.account}.dkr.ecr.us-east-1.amazonaws.com/media/resize:1.3.0"
  log_group_name     = "/ecs/resize"
  execution_role_arn = aws_iam_role.media_execution.arn
  depends_on         = [aws_iam_role_policy.media_execution]
}
