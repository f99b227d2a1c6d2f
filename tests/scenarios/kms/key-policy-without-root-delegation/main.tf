# The security team hands out "locked-down" keys: the key policy has no statement for the account
# root, only an administrators role and the principals that may use the key. The registry secret of
# the `reports` service is encrypted with such a key. The key policy still names the execution role
# the service used before it was renamed (reports-task-exec); the new role has kms:Decrypt in its IAM
# policy, but without root delegation IAM policies do not count, so KMS refuses (PG402).
# The `exporter` service's role is named in the key policy itself: same account, no IAM grant
# needed for kms:Decrypt (it passes).
terraform {
  required_providers {
    aws = { source = "hashicorp/aws" }
  }
}

provider "aws" {
  region = "eu-west-1"
}

data "aws_caller_identity" "current" {}
data "aws_region" "current" {}

locals {
  account = data.aws_caller_identity.current.account_id
  via     = "secretsmanager.${data.aws_region.current.name}.amazonaws.com"
}

data "aws_iam_policy_document" "key" {
  statement {
    sid       = "KeyAdministrators"
    actions   = ["kms:*"]
    resources = ["*"]
    principals {
      type        = "AWS"
      identifiers = ["arn:aws:iam::${local.account}:role/security-kms-admin"]
    }
  }
  statement {
    sid       = "UseThroughSecretsManager"
    actions   = ["kms:Decrypt", "kms:DescribeKey"]
    resources = ["*"]
    principals {
      type = "AWS"
      identifiers = [
        "arn:aws:iam::${local.account}:role/reports-task-exec",
        aws_iam_role.execution["exporter"].arn,
      ]
    }
    condition {
      test     = "StringEquals"
      variable = "kms:ViaService"
      values   = [local.via]
    }
  }
}

resource "aws_kms_key" "reports" {
  description                        = "reports registry credentials"
  policy                             = data.aws_iam_policy_document.key.json
  bypass_policy_lockout_safety_check = true
}

resource "aws_secretsmanager_secret" "registry" {
  for_each   = toset(["reports", "exporter"])
  name       = "${each.key}/quay-robot"
  kms_key_id = aws_kms_key.reports.id
}

resource "aws_secretsmanager_secret_version" "registry" {
  for_each      = aws_secretsmanager_secret.registry
  secret_id     = each.value.id
  secret_string = jsonencode({ username = "acme+${each.key}", password = "FAKEROBOTTOKEN000" })
}

resource "aws_iam_role" "execution" {
  for_each = toset(["reports", "exporter"])
  name     = "${each.key}-execution"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Principal = { Service = "ecs-tasks.amazonaws.com" }, Action = "sts:AssumeRole" }]
  })
}

resource "aws_iam_role_policy" "registry" {
  for_each = aws_iam_role.execution
  name     = "registry"
  role     = each.value.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = concat(
      [{ Effect = "Allow", Action = "secretsmanager:GetSecretValue", Resource = aws_secretsmanager_secret.registry[each.key].arn }],
      # only reports' role got an IAM grant for the key (it does not help: the key policy does not delegate)
      each.key == "reports" ? [{ Effect = "Allow", Action = "kms:Decrypt", Resource = aws_kms_key.reports.arn }] : [],
    )
  })
}

resource "aws_ecs_task_definition" "svc" {
  for_each                 = aws_iam_role.execution
  family                   = each.key
  requires_compatibilities = ["FARGATE"]
  network_mode             = "awsvpc"
  cpu                      = "256"
  memory                   = "512"
  execution_role_arn       = each.value.arn
  container_definitions = jsonencode([{
    name                  = each.key
    image                 = "quay.io/acme/${each.key}:5.1.0"
    essential             = true
    repositoryCredentials = { credentialsParameter = aws_secretsmanager_secret.registry[each.key].arn }
  }])

  depends_on = [aws_iam_role_policy.registry]
}
