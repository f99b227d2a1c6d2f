# CI runners pull their images from GitLab, Docker Hub and Quay with logins kept in Secrets Manager.
# The follow-up change (second plan):
#  - rotates the GitLab deploy token into a new secret generation: the secret's name changes, so
#    Terraform replaces it, and the builder task definition, which takes the secret's ARN, follows
#    the new secret (a new revision): nothing is left pointing at the old one;
#  - renames the Docker Hub secret to "ci/dockerhub-v2" through its variable, but the runner module
#    is still given the bare name "ci/dockerhub": the old secret is destroyed (scheduled for
#    deletion) and nothing else has that name, so new runner tasks cannot read their login;
#  - turns the nightly job off, which removes its secret together with its task definition.
terraform {
  required_providers {
    aws = { source = "hashicorp/aws" }
  }
}

provider "aws" {
  region = "us-east-1"
}

variable "gitlab_secret_generation" {
  type    = number
  default = 1
}

variable "dockerhub_secret_name" {
  type    = string
  default = "ci/dockerhub"
}

variable "enable_nightly" {
  type    = bool
  default = true
}

data "aws_caller_identity" "current" {}

locals {
  # what the runner module was given when the secret was created, never updated since
  runner_registry_login = "ci/dockerhub"
}

resource "aws_secretsmanager_secret" "gitlab" {
  name                    = "ci/gitlab-registry-v${var.gitlab_secret_generation}"
  recovery_window_in_days = 0
}

resource "aws_secretsmanager_secret_version" "gitlab" {
  secret_id     = aws_secretsmanager_secret.gitlab.id
  secret_string = jsonencode({ username = "gitlab+deploy-token-${var.gitlab_secret_generation}", password = "gldt-FAKEFAKEFAKEFAKEFAKE" })
}

resource "aws_secretsmanager_secret" "dockerhub" {
  name = var.dockerhub_secret_name
}

resource "aws_secretsmanager_secret_version" "dockerhub" {
  secret_id     = aws_secretsmanager_secret.dockerhub.id
  secret_string = jsonencode({ username = "acmeci", password = "dckr_pat_FAKEFAKEFAKEFAKE" })
}

resource "aws_secretsmanager_secret" "nightly" {
  count                   = var.enable_nightly ? 1 : 0
  name                    = "ci/quay-nightly"
  recovery_window_in_days = 0
}

resource "aws_secretsmanager_secret_version" "nightly" {
  count         = var.enable_nightly ? 1 : 0
  secret_id     = aws_secretsmanager_secret.nightly[0].id
  secret_string = jsonencode({ username = "acme+nightly", password = "FAKEQUAYROBOTTOKEN" })
}

data "aws_iam_policy_document" "assume" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["ecs-tasks.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "execution" {
  name               = "ci-runner-execution"
  assume_role_policy = data.aws_iam_policy_document.assume.json
}

data "aws_iam_policy_document" "registry_logins" {
  statement {
    actions   = ["secretsmanager:GetSecretValue"]
    resources = ["arn:aws:secretsmanager:us-east-1:${data.aws_caller_identity.current.account_id}:secret:ci/*"]
  }
}

resource "aws_iam_role_policy" "registry_logins" {
  name   = "registry-logins"
  role   = aws_iam_role.execution.id
  policy = data.aws_iam_policy_document.registry_logins.json
}

resource "aws_ecs_task_definition" "builder" {
  family                   = "ci-builder"
  requires_compatibilities = ["FARGATE"]
  network_mode             = "awsvpc"
  cpu                      = "1024"
  memory                   = "2048"
  execution_role_arn       = aws_iam_role.execution.arn
  container_definitions = jsonencode([{
    name                  = "builder"
    image                 = "registry.gitlab.com/acme/ci/builder:3.2.0"
    essential             = true
    repositoryCredentials = { credentialsParameter = aws_secretsmanager_secret.gitlab.arn }
  }])
  depends_on = [aws_iam_role_policy.registry_logins]
}

module "runner" {
  source              = "./modules/runner"
  name                = "ci-runner"
  image               = "docker.io/acme/ci-runner:5.1.0"
  registry_login      = local.runner_registry_login
  execution_role_arn  = aws_iam_role.execution.arn
  depends_on          = [aws_iam_role_policy.registry_logins]
}

resource "aws_ecs_task_definition" "nightly" {
  count                    = var.enable_nightly ? 1 : 0
  family                   = "ci-nightly"
  requires_compatibilities = ["FARGATE"]
  network_mode             = "awsvpc"
  cpu                      = "512"
  memory                   = "1024"
  execution_role_arn       = aws_iam_role.execution.arn
  container_definitions = jsonencode([{
    name                  = "nightly"
    image                 = "quay.io/acme/nightly-e2e:2026.12.01"
    essential             = true
    repositoryCredentials = { credentialsParameter = aws_secretsmanager_secret.nightly[0].arn }
  }])
  depends_on = [aws_iam_role_policy.registry_logins]
}
