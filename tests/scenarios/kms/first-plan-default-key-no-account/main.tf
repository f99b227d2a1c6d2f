# Billing services keep their registry credentials under customer managed keys created in the same
# plan without a `policy` argument: AWS gives such a key the default key policy, which delegates to
# the account, so the execution role's IAM policy decides. Nothing names the account (no
# aws_caller_identity): keys, roles and secrets come from one provider configuration, one account.
#  - "invoices": the role may kms:Decrypt the key (by reference): passes.
#  - "receipts": the role may read the secret but has no kms:Decrypt: refused (PG401).
#  - "refunds": ABAC, kms:Decrypt on "*" when the key's tag "app" is "refunds" and the call comes
#    through Secrets Manager of the region; its key is tagged app = refunds: passes.
#  - "payouts": the same ABAC policy, but its key is tagged app = payments: refused (PG401).
terraform {
  required_providers {
    aws = { source = "hashicorp/aws" }
  }
}

variable "region" {
  type    = string
  default = "eu-west-1"
}

provider "aws" {
  region = var.region
}

locals {
  services = {
    invoices = { key_tag = "invoices", grant = "key" }
    receipts = { key_tag = "receipts", grant = "none" }
    refunds  = { key_tag = "refunds", grant = "abac" }
    payouts  = { key_tag = "payments", grant = "abac" }
  }
}

resource "aws_kms_key" "registry" {
  for_each            = local.services
  description         = "${each.key} registry credentials"
  enable_key_rotation = true
  tags                = { app = each.value.key_tag }
}

resource "aws_secretsmanager_secret" "registry" {
  for_each   = local.services
  name       = "billing/${each.key}/registry"
  kms_key_id = aws_kms_key.registry[each.key].arn
}

resource "aws_secretsmanager_secret_version" "registry" {
  for_each      = aws_secretsmanager_secret.registry
  secret_id     = each.value.id
  secret_string = jsonencode({ username = "billing-${each.key}", password = "FAKEREGISTRYPASS0" })
}

resource "aws_iam_role" "exec" {
  for_each = local.services
  name     = "billing-${each.key}-exec"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Principal = { Service = "ecs-tasks.amazonaws.com" }, Action = "sts:AssumeRole" }]
  })
}

resource "aws_iam_role_policy_attachment" "managed" {
  for_each   = aws_iam_role.exec
  role       = each.value.name
  policy_arn = "arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy"
}

data "aws_iam_policy_document" "registry" {
  for_each = local.services
  statement {
    actions   = ["secretsmanager:GetSecretValue"]
    resources = [aws_secretsmanager_secret.registry[each.key].arn]
  }
  dynamic "statement" {
    for_each = each.value.grant == "key" ? [1] : []
    content {
      actions   = ["kms:Decrypt"]
      resources = [aws_kms_key.registry[each.key].arn]
    }
  }
  dynamic "statement" {
    for_each = each.value.grant == "abac" ? [1] : []
    content {
      actions   = ["kms:Decrypt"]
      resources = ["*"]
      condition {
        test     = "StringEquals"
        variable = "aws:ResourceTag/app"
        values   = [each.key]
      }
      condition {
        test     = "StringEquals"
        variable = "kms:ViaService"
        values   = ["secretsmanager.${var.region}.amazonaws.com"]
      }
    }
  }
}

resource "aws_iam_role_policy" "registry" {
  for_each = aws_iam_role.exec
  name     = "registry-credentials"
  role     = each.value.id
  policy   = data.aws_iam_policy_document.registry[each.key].json
}

resource "aws_ecs_task_definition" "svc" {
  for_each                 = local.services
  family                   = "billing-${each.key}"
  requires_compatibilities = ["FARGATE"]
  network_mode             = "awsvpc"
  cpu                      = "256"
  memory                   = "512"
  execution_role_arn       = aws_iam_role.exec[each.key].arn
  container_definitions = jsonencode([{
    name                  = each.key
    image                 = "registry.gitlab.com/acme-billing/${each.key}:7.3.0"
    essential             = true
    repositoryCredentials = { credentialsParameter = aws_secretsmanager_secret.registry[each.key].arn }
  }])

  depends_on = [aws_iam_role_policy.registry, aws_iam_role_policy_attachment.managed, aws_secretsmanager_secret_version.registry]
}
