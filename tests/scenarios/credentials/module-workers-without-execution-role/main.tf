# Queue workers on an EC2 cluster, one module instance per queue (for_each). The invoices worker
# moved to a private GitLab image and got repositoryCredentials, but nobody passed an execution
# role to its module instance: without one, ECS cannot read the registry secret and the task
# fails to start. The emails worker passes the shared execution role (near miss); the thumbnails
# worker runs a public ECR image and needs neither.
terraform {
  required_providers {
    aws = { source = "hashicorp/aws" }
  }
}

provider "aws" {
  region = "us-east-2"
}

resource "aws_secretsmanager_secret" "gitlab" {
  name = "workers/gitlab-registry"
}

resource "aws_secretsmanager_secret_version" "gitlab" {
  secret_id     = aws_secretsmanager_secret.gitlab.id
  secret_string = jsonencode({ username = "gitlab+deploy-token-17", password = "gldt-FAKEFAKEFAKEFAKE" })
}

resource "aws_iam_role" "execution" {
  name = "workers-execution"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Service = "ecs-tasks.amazonaws.com" }
      Action    = "sts:AssumeRole"
    }]
  })
}

resource "aws_iam_role_policy" "gitlab" {
  name = "gitlab-registry"
  role = aws_iam_role.execution.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect   = "Allow"
      Action   = "secretsmanager:GetSecretValue"
      Resource = aws_secretsmanager_secret.gitlab.arn
    }]
  })
}

locals {
  workers = {
    invoices = {
      image       = "registry.gitlab.com/acme/billing/invoices-worker:8.2.0"
      credentials = true
      role        = false
    }
    emails = {
      image       = "registry.gitlab.com/acme/notify/emails-worker:3.0.9"
      credentials = true
      role        = true
    }
    thumbnails = {
      image       = "public.ecr.aws/acme-oss/thumbnailer:1.12.0"
      credentials = false
      role        = false
    }
  }
}

module "worker" {
  source              = "./modules/worker"
  for_each            = local.workers
  name                = each.key
  image               = each.value.image
  registry_secret_arn = each.value.credentials ? aws_secretsmanager_secret.gitlab.arn : null
  execution_role_arn  = each.value.role ? aws_iam_role.execution.arn : null
  depends_on          = [aws_iam_role_policy.gitlab]
}
