# Registry credentials are kept in a central "shared services" account (111122223333) and read by
# workload accounts. Cross-account reads need the secret's resource policy AND a customer managed
# key whose key policy admits the reader: the AWS managed key aws/secretsmanager cannot be used from
# another account.
#  - `legacy` secret: resource policy grants the workload execution role, but no kms_key_id, so it
#    uses aws/secretsmanager -> "You can't access a secret from a different AWS account if you
#    encrypt the secret with the default KMS service key" (PG403).
#  - `current` secret: customer managed key whose policy grants the workload role kms:Decrypt, a
#    resource policy granting GetSecretValue, and the role's own IAM policy allows both -> passes.
terraform {
  required_providers {
    aws = { source = "hashicorp/aws" }
  }
}

provider "aws" {
  region = "us-east-1"
}

provider "aws" {
  alias  = "shared"
  region = "us-east-1"
  assume_role {
    role_arn = "arn:aws:iam::111122223333:role/terraform-shared-services"
  }
}

data "aws_caller_identity" "workload" {}

locals {
  execution_role_arn = "arn:aws:iam::${data.aws_caller_identity.workload.account_id}:role/storefront-execution"
}

# ---------------------------------------------------------------- shared services account

resource "aws_kms_key" "shared_registry" {
  provider    = aws.shared
  description = "registry credentials shared with workload accounts"
  # a key policy may only name principals that exist
  depends_on = [aws_iam_role.execution]
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid       = "EnableIAMUserPermissions"
        Effect    = "Allow"
        Principal = { AWS = "arn:aws:iam::111122223333:root" }
        Action    = "kms:*"
        Resource  = "*"
      },
      {
        Sid       = "WorkloadExecutionRoles"
        Effect    = "Allow"
        Principal = { AWS = local.execution_role_arn }
        Action    = "kms:Decrypt"
        Resource  = "*"
        Condition = { StringEquals = { "kms:ViaService" = "secretsmanager.us-east-1.amazonaws.com" } }
      },
    ]
  })
}

resource "aws_secretsmanager_secret" "registry" {
  for_each   = { legacy = null, current = aws_kms_key.shared_registry.arn }
  provider   = aws.shared
  name       = "registry/${each.key}"
  kms_key_id = each.value
}

resource "aws_secretsmanager_secret_policy" "registry" {
  for_each   = aws_secretsmanager_secret.registry
  provider   = aws.shared
  secret_arn = each.value.arn
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { AWS = local.execution_role_arn }
      Action    = "secretsmanager:GetSecretValue"
      Resource  = "*"
    }]
  })
}

# ---------------------------------------------------------------- workload account

resource "aws_iam_role" "execution" {
  name = "storefront-execution"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Principal = { Service = "ecs-tasks.amazonaws.com" }, Action = "sts:AssumeRole" }]
  })
}

resource "aws_iam_role_policy" "registry" {
  name = "shared-registry-credentials"
  role = aws_iam_role.execution.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Effect   = "Allow"
        Action   = "secretsmanager:GetSecretValue"
        Resource = "arn:aws:secretsmanager:us-east-1:111122223333:secret:registry/*"
      },
      {
        Effect   = "Allow"
        Action   = "kms:Decrypt"
        Resource = aws_kms_key.shared_registry.arn
      },
    ]
  })
}

resource "aws_ecs_task_definition" "storefront" {
  family                   = "storefront"
  requires_compatibilities = ["FARGATE"]
  network_mode             = "awsvpc"
  cpu                      = "512"
  memory                   = "1024"
  execution_role_arn       = aws_iam_role.execution.arn
  container_definitions = jsonencode([
    {
      name                  = "web"
      image                 = "registry.acme.example/storefront/web:12.4.0"
      essential             = true
      repositoryCredentials = { credentialsParameter = aws_secretsmanager_secret.registry["current"].arn }
    },
    {
      name                  = "recommender"
      image                 = "registry.acme.example/storefront/recommender:3.3.1"
      essential             = true
      repositoryCredentials = { credentialsParameter = aws_secretsmanager_secret.registry["legacy"].arn }
    },
  ])

  depends_on = [aws_iam_role_policy.registry, aws_secretsmanager_secret_policy.registry]
}
