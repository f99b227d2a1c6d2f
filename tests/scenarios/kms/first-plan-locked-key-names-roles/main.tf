# A "locked-down" key for registry credentials, created in the same first plan as the execution
# roles it names: the key policy has no statement for the account root, so only the principals it
# names can use the key (IAM policies do not count). Every role lives under the path /ecs/.
#  - "orders": named by reference (aws_iam_role.exec["orders"].arn), with kms:ViaService and
#    kms:CallerAccount conditions that hold when Secrets Manager decrypts for it: passes.
#  - "search": named by an ARN built from the account and the role's name and path: passes.
#  - "billing": its own statement limits kms:Decrypt to secrets whose ARN (the encryption context
#    SecretARN Secrets Manager sends) is under commerce/orders/, a copy-paste of orders' pattern:
#    Secrets Manager decrypts commerce/billing/ghcr with that secret's ARN: refused.
#  - "ledger": not named in the key policy; its IAM policy allows kms:Decrypt, which does not help
#    without root delegation: refused.
terraform {
  required_providers {
    aws = { source = "hashicorp/aws" }
  }
}

provider "aws" {
  region = "eu-central-1"
}

data "aws_caller_identity" "current" {}
data "aws_region" "current" {}

locals {
  account  = data.aws_caller_identity.current.account_id
  via      = "secretsmanager.${data.aws_region.current.name}.amazonaws.com"
  services = toset(["orders", "search", "billing", "ledger"])
}

resource "aws_iam_role" "kms_admin" {
  name = "registry-key-admin"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Principal = { AWS = "arn:aws:iam::${local.account}:root" }, Action = "sts:AssumeRole" }]
  })
}

resource "aws_iam_role" "exec" {
  for_each = local.services
  name     = "${each.key}-task-exec"
  path     = "/ecs/"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Principal = { Service = "ecs-tasks.amazonaws.com" }, Action = "sts:AssumeRole" }]
  })
}

data "aws_iam_policy_document" "registry_key" {
  statement {
    sid = "KeyAdministration"
    actions = ["kms:Create*", "kms:Describe*", "kms:Enable*", "kms:List*", "kms:Put*", "kms:Update*",
      "kms:Revoke*", "kms:Disable*", "kms:Get*", "kms:Delete*", "kms:TagResource", "kms:UntagResource",
    "kms:ScheduleKeyDeletion", "kms:CancelKeyDeletion"]
    resources = ["*"]
    principals {
      type        = "AWS"
      identifiers = [aws_iam_role.kms_admin.arn]
    }
  }

  statement {
    sid       = "RegistryCredentialsViaSecretsManager"
    actions   = ["kms:Decrypt"]
    resources = ["*"]
    principals {
      type = "AWS"
      identifiers = [
        aws_iam_role.exec["orders"].arn,
        "arn:aws:iam::${local.account}:role/ecs/${aws_iam_role.exec["search"].name}",
      ]
    }
    condition {
      test     = "StringEquals"
      variable = "kms:ViaService"
      values   = [local.via]
    }
    condition {
      test     = "StringEquals"
      variable = "kms:CallerAccount"
      values   = [local.account]
    }
  }

  statement {
    sid       = "BillingOwnSecretOnly"
    actions   = ["kms:Decrypt"]
    resources = ["*"]
    principals {
      type        = "AWS"
      identifiers = [aws_iam_role.exec["billing"].arn]
    }
    condition {
      test     = "StringLike"
      variable = "kms:EncryptionContext:SecretARN"
      values   = ["arn:aws:secretsmanager:${data.aws_region.current.name}:${local.account}:secret:commerce/orders/*"]
    }
  }
}

resource "aws_kms_key" "registry" {
  description                        = "registry credentials of the commerce services"
  policy                             = data.aws_iam_policy_document.registry_key.json
  bypass_policy_lockout_safety_check = true
}

resource "aws_secretsmanager_secret" "registry" {
  for_each   = local.services
  name       = "commerce/${each.key}/ghcr"
  kms_key_id = aws_kms_key.registry.arn
}

resource "aws_secretsmanager_secret_version" "registry" {
  for_each      = aws_secretsmanager_secret.registry
  secret_id     = each.value.id
  secret_string = jsonencode({ username = "acme-${each.key}-bot", password = "FAKEGHCRTOKEN000" })
}

resource "aws_iam_role_policy_attachment" "managed" {
  for_each   = aws_iam_role.exec
  role       = each.value.name
  policy_arn = "arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy"
}

resource "aws_iam_role_policy" "registry" {
  for_each = aws_iam_role.exec
  name     = "registry-credentials"
  role     = each.value.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = concat(
      [{ Effect = "Allow", Action = "secretsmanager:GetSecretValue", Resource = aws_secretsmanager_secret.registry[each.key].arn }],
      # ledger's team added the key to its IAM policy instead of asking for a key policy statement
      each.key == "ledger" ? [{ Effect = "Allow", Action = "kms:Decrypt", Resource = aws_kms_key.registry.arn }] : [],
    )
  })
}

resource "aws_ecs_task_definition" "svc" {
  for_each                 = local.services
  family                   = "commerce-${each.key}"
  requires_compatibilities = ["FARGATE"]
  network_mode             = "awsvpc"
  cpu                      = "256"
  memory                   = "512"
  execution_role_arn       = aws_iam_role.exec[each.key].arn
  container_definitions = jsonencode([{
    name                  = each.key
    image                 = "ghcr.io/acme-commerce/${each.key}:2.4.1"
    essential             = true
    repositoryCredentials = { credentialsParameter = aws_secretsmanager_secret.registry[each.key].arn }
  }])

  depends_on = [aws_iam_role_policy.registry, aws_iam_role_policy_attachment.managed, aws_secretsmanager_secret_version.registry]
}
