# Four Fargate services of one cluster, each with its execution role granted a different way.
# IAM is eventually consistent and Terraform orders only by references and depends_on: a task
# definition that references the role waits for the role, not for separate attachments.
#  - "accounts": managed_policy_arns and an inline_policy block on the role itself: created with
#    the role, so referencing the role is enough.
#  - "profiles": customer policy (aws_iam_policy) + attachment; the service depends_on the
#    attachment, so no task starts before it.
#  - "sessions": attachment of the AWS managed policy, nothing waits for it: the first tasks can
#    start before the ECR pull permission is in effect.
#  - "tokens": aws_iam_role_policy + attachment, the task definition depends_on both.
terraform {
  required_providers {
    aws = { source = "hashicorp/aws" }
  }
}

provider "aws" {
  region = "us-east-1"
}

variable "private_subnet_ids" {
  type    = list(string)
  default = ["subnet-0aa11bb22cc33dd44", "subnet-0ee55ff66aa77bb88"]
}

variable "service_security_group_id" {
  type    = string
  default = "sg-0123456789abcdef0"
}

data "aws_caller_identity" "current" {}

locals {
  registry    = "${data.aws_caller_identity.current.account_id}.dkr.ecr.us-east-1.amazonaws.com"
  managed_arn = "arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy"
  trust = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Principal = { Service = "ecs-tasks.amazonaws.com" }, Action = "sts:AssumeRole" }]
  })
}

resource "aws_ecs_cluster" "identity" {
  name = "identity"
}

resource "aws_secretsmanager_secret" "dockerhub" {
  name = "identity/dockerhub"
}

resource "aws_secretsmanager_secret_version" "dockerhub" {
  secret_id     = aws_secretsmanager_secret.dockerhub.id
  secret_string = jsonencode({ username = "acmeidentity", password = "dckr_pat_fake2222" })
}

# ---------------------------------------------------------------- accounts
resource "aws_iam_role" "accounts" {
  name                = "accounts-execution"
  assume_role_policy  = local.trust
  managed_policy_arns = [local.managed_arn]
  inline_policy {
    name = "registry"
    policy = jsonencode({
      Version = "2012-10-17"
      Statement = [{
        Effect   = "Allow"
        Action   = "secretsmanager:GetSecretValue"
        Resource = aws_secretsmanager_secret.dockerhub.arn
      }]
    })
  }
}

resource "aws_ecs_task_definition" "accounts" {
  family                   = "accounts"
  requires_compatibilities = ["FARGATE"]
  network_mode             = "awsvpc"
  cpu                      = "256"
  memory                   = "512"
  execution_role_arn       = aws_iam_role.accounts.arn
  container_definitions = jsonencode([{
    name                  = "accounts"
    image                 = "acmeidentity/accounts:8.0.1"
    essential             = true
    repositoryCredentials = { credentialsParameter = aws_secretsmanager_secret.dockerhub.arn }
  }])
}

resource "aws_ecs_service" "accounts" {
  name            = "accounts"
  cluster         = aws_ecs_cluster.identity.id
  task_definition = aws_ecs_task_definition.accounts.arn
  desired_count   = 2
  launch_type     = "FARGATE"
  network_configuration {
    subnets         = var.private_subnet_ids
    security_groups = [var.service_security_group_id]
  }
}

# ---------------------------------------------------------------- profiles
resource "aws_iam_role" "profiles" {
  name               = "profiles-execution"
  assume_role_policy = local.trust
}

resource "aws_iam_policy" "profiles" {
  name = "profiles-execution"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      { Effect = "Allow", Action = "ecr:GetAuthorizationToken", Resource = "*" },
      {
        Effect   = "Allow"
        Action   = ["ecr:BatchCheckLayerAvailability", "ecr:GetDownloadUrlForLayer", "ecr:BatchGetImage"]
        Resource = "arn:aws:ecr:us-east-1:${data.aws_caller_identity.current.account_id}:repository/identity/*"
      }
    ]
  })
}

resource "aws_iam_role_policy_attachment" "profiles" {
  role       = aws_iam_role.profiles.name
  policy_arn = aws_iam_policy.profiles.arn
}

resource "aws_ecs_task_definition" "profiles" {
  family                   = "profiles"
  requires_compatibilities = ["FARGATE"]
  network_mode             = "awsvpc"
  cpu                      = "256"
  memory                   = "512"
  execution_role_arn       = aws_iam_role.profiles.arn
  container_definitions = jsonencode([{
    name      = "profiles"
    image     = "${local.registry}/identity/profiles:3.3.0"
    essential = true
  }])
}

resource "aws_ecs_service" "profiles" {
  name            = "profiles"
  cluster         = aws_ecs_cluster.identity.id
  task_definition = aws_ecs_task_definition.profiles.arn
  desired_count   = 2
  launch_type     = "FARGATE"
  network_configuration {
    subnets         = var.private_subnet_ids
    security_groups = [var.service_security_group_id]
  }
  depends_on = [aws_iam_role_policy_attachment.profiles]
}

# ---------------------------------------------------------------- sessions
resource "aws_iam_role" "sessions" {
  name               = "sessions-execution"
  assume_role_policy = local.trust
}

resource "aws_iam_role_policy_attachment" "sessions" {
  role       = aws_iam_role.sessions.name
  policy_arn = local.managed_arn
}

resource "aws_ecs_task_definition" "sessions" {
  family                   = "sessions"
  requires_compatibilities = ["FARGATE"]
  network_mode             = "awsvpc"
  cpu                      = "256"
  memory                   = "512"
  execution_role_arn       = aws_iam_role.sessions.arn
  container_definitions = jsonencode([{
    name      = "sessions"
    image     = "${local.registry}/identity/sessions:2.11.0"
    essential = true
  }])
}

resource "aws_ecs_service" "sessions" {
  name            = "sessions"
  cluster         = aws_ecs_cluster.identity.id
  task_definition = aws_ecs_task_definition.sessions.arn
  desired_count   = 2
  launch_type     = "FARGATE"
  network_configuration {
    subnets         = var.private_subnet_ids
    security_groups = [var.service_security_group_id]
  }
}

# ---------------------------------------------------------------- tokens
resource "aws_iam_role" "tokens" {
  name               = "tokens-execution"
  assume_role_policy = local.trust
}

resource "aws_iam_role_policy_attachment" "tokens" {
  role       = aws_iam_role.tokens.name
  policy_arn = local.managed_arn
}

resource "aws_iam_role_policy" "tokens_registry" {
  name = "registry"
  role = aws_iam_role.tokens.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect   = "Allow"
      Action   = "secretsmanager:GetSecretValue"
      Resource = aws_secretsmanager_secret.dockerhub.arn
    }]
  })
}

resource "aws_ecs_task_definition" "tokens" {
  family                   = "tokens"
  requires_compatibilities = ["FARGATE"]
  network_mode             = "awsvpc"
  cpu                      = "256"
  memory                   = "512"
  execution_role_arn       = aws_iam_role.tokens.arn
  container_definitions = jsonencode([
    {
      name      = "tokens"
      image     = "${local.registry}/identity/tokens:1.0.4"
      essential = true
    },
    {
      name                  = "jwks-cache"
      image                 = "acmeidentity/jwks-cache:0.4.2"
      essential             = false
      repositoryCredentials = { credentialsParameter = aws_secretsmanager_secret.dockerhub.arn }
    }
  ])
  depends_on = [aws_iam_role_policy_attachment.tokens, aws_iam_role_policy.tokens_registry]
}

resource "aws_ecs_service" "tokens" {
  name            = "tokens"
  cluster         = aws_ecs_cluster.identity.id
  task_definition = aws_ecs_task_definition.tokens.arn
  desired_count   = 2
  launch_type     = "FARGATE"
  network_configuration {
    subnets         = var.private_subnet_ids
    security_groups = [var.service_security_group_id]
  }
}
