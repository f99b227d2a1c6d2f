# An application stack reuses the execution role the platform team manages in its own stack,
# passed by ARN. Whether that role trusts ecs-tasks.amazonaws.com, may pull from ECR and may read
# the new Docker Hub secret created here depends on policies this configuration cannot see.
terraform {
  required_providers {
    aws = { source = "hashicorp/aws" }
  }
}

provider "aws" {
  region = "us-east-1"
}

data "aws_caller_identity" "current" {}

variable "execution_role_name" {
  type    = string
  default = "platform/ecsTaskExecutionRole"
}

locals {
  account            = data.aws_caller_identity.current.account_id
  execution_role_arn = "arn:aws:iam::${local.account}:role/${var.execution_role_name}"
}

resource "aws_secretsmanager_secret" "dockerhub" {
  name = "notifications/dockerhub"
}

resource "aws_secretsmanager_secret_version" "dockerhub" {
  secret_id     = aws_secretsmanager_secret.dockerhub.id
  secret_string = jsonencode({ username = "acmenotify", password = "dckr_pat_fake1111" })
}

resource "aws_ecs_task_definition" "notifications" {
  family                   = "notifications"
  requires_compatibilities = ["FARGATE"]
  network_mode             = "awsvpc"
  cpu                      = "256"
  memory                   = "512"
  execution_role_arn       = local.execution_role_arn
  container_definitions = jsonencode([
    {
      name      = "api"
      image     = "${local.account}.dkr.ecr.us-east-1.amazonaws.com/notifications/api:0.19.0"
      essential = true
    },
    {
      name                  = "smtp-relay"
      image                 = "acmenotify/smtp-relay:1.2.3"
      essential             = true
      repositoryCredentials = { credentialsParameter = aws_secretsmanager_secret.dockerhub.arn }
    }
  ])
}
