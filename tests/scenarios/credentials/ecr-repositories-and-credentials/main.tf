# The checkout team moves to ECR. The same change creates the repositories (for_each) and the
# task definitions that run images from them: on the first apply the new repositories are empty,
# so the first tasks fail with "CannotPullContainerError ... not found" until CI pushes.
# The reports job uses a repository that already exists in the account but kept the
# repositoryCredentials it had when the image lived on Artifactory: ECR images are pulled with
# the execution role, private registry authentication does not apply to them.
# The scheduler uses the same existing repository without credentials (near miss).
terraform {
  required_providers {
    aws = { source = "hashicorp/aws" }
  }
}

provider "aws" {
  region = "us-east-1"
}

data "aws_caller_identity" "current" {}
data "aws_region" "current" {}

locals {
  registry     = "${data.aws_caller_identity.current.account_id}.dkr.ecr.${data.aws_region.current.name}.amazonaws.com"
  repositories = toset(["checkout/api", "checkout/worker"])
}

resource "aws_ecr_repository" "this" {
  for_each             = local.repositories
  name                 = each.key
  image_tag_mutability = "IMMUTABLE"
  image_scanning_configuration {
    scan_on_push = true
  }
}

resource "aws_secretsmanager_secret" "artifactory" {
  name = "checkout/artifactory"
}

resource "aws_secretsmanager_secret_version" "artifactory" {
  secret_id     = aws_secretsmanager_secret.artifactory.id
  secret_string = jsonencode({ username = "svc-checkout", password = "fake-artifactory-api-key" })
}

resource "aws_iam_role" "execution" {
  name = "checkout-execution"
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

resource "aws_iam_role_policy" "artifactory" {
  name = "artifactory-credentials"
  role = aws_iam_role.execution.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect   = "Allow"
      Action   = "secretsmanager:GetSecretValue"
      Resource = aws_secretsmanager_secret.artifactory.arn
    }]
  })
}

resource "aws_cloudwatch_log_group" "checkout" {
  name = "/ecs/checkout"
}

locals {
  logs = {
    logDriver = "awslogs"
    options = {
      awslogs-group         = aws_cloudwatch_log_group.checkout.name
      awslogs-region        = data.aws_region.current.name
      awslogs-stream-prefix = "checkout"
    }
  }
}

resource "aws_ecs_task_definition" "api" {
  family                   = "checkout-api"
  requires_compatibilities = ["FARGATE"]
  network_mode             = "awsvpc"
  cpu                      = "512"
  memory                   = "1024"
  execution_role_arn       = aws_iam_role.execution.arn
  container_definitions = jsonencode([{
    name             = "api"
    image            = "${aws_ecr_repository.this["checkout/api"].repository_url}:1.0.0"
    essential        = true
    portMappings     = [{ containerPort = 8080 }]
    logConfiguration = local.logs
  }])
  depends_on = [aws_iam_role_policy_attachment.execution]
}

resource "aws_ecs_task_definition" "reports" {
  family                   = "checkout-reports"
  requires_compatibilities = ["FARGATE"]
  network_mode             = "awsvpc"
  cpu                      = "256"
  memory                   = "512"
  execution_role_arn       = aws_iam_role.execution.arn
  container_definitions = jsonencode([{
    name                  = "reports"
    image                 = "${local.registry}/checkout/reports:4.2.1"
    essential             = true
    repositoryCredentials = { credentialsParameter = aws_secretsmanager_secret.artifactory.arn }
    logConfiguration      = local.logs
  }])
  depends_on = [aws_iam_role_policy_attachment.execution, aws_iam_role_policy.artifactory]
}

resource "aws_ecs_task_definition" "scheduler" {
  family                   = "checkout-scheduler"
  requires_compatibilities = ["FARGATE"]
  network_mode             = "awsvpc"
  cpu                      = "256"
  memory                   = "512"
  execution_role_arn       = aws_iam_role.execution.arn
  container_definitions = jsonencode([{
    name             = "scheduler"
    image            = "${local.registry}/checkout/reports@sha256:4f53cda18c2baa0c0354bb5f9a3ecbe5ed12ab4d8e11ba873c2f11161202b945"
    essential        = true
    command          = ["schedule"]
    logConfiguration = local.logs
  }])
  depends_on = [aws_iam_role_policy_attachment.execution]
}
