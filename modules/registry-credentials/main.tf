data "aws_caller_identity" "current" {}
data "aws_partition" "current" {}
data "aws_region" "current" {}

locals {
  account_id         = data.aws_caller_identity.current.account_id
  partition          = data.aws_partition.current.partition
  region             = data.aws_region.current.name
  via_secretsmanager = "secretsmanager.${local.region}.amazonaws.com"

  # The key the secret is encrypted with: the one given, the one created, or null (aws/secretsmanager).
  kms_key_arn = var.create_kms_key ? aws_kms_key.this[0].arn : var.kms_key_arn

  decrypt_principals = distinct(concat(var.reader_principal_arns, var.cross_account_principal_arns))

  key_policy = {
    Version = "2012-10-17"
    Statement = concat(
      [{
        Sid       = "AccountRootAdministersKey"
        Effect    = "Allow"
        Principal = { AWS = "arn:${local.partition}:iam::${local.account_id}:root" }
        Action    = "kms:*"
        Resource  = "*"
      }],
      length(local.decrypt_principals) == 0 ? [] : [{
        Sid       = "ExecutionRolesDecryptThroughSecretsManager"
        Effect    = "Allow"
        Principal = { AWS = local.decrypt_principals }
        Action    = "kms:Decrypt"
        Resource  = "*"
        Condition = { StringEquals = { "kms:ViaService" = local.via_secretsmanager } }
      }],
    )
  }

  # What an ECS task execution role needs to resolve repositoryCredentials.
  execution_role_policy = {
    Version = "2012-10-17"
    Statement = concat(
      [{
        Sid      = "ReadRegistryCredentials"
        Effect   = "Allow"
        Action   = "secretsmanager:GetSecretValue"
        Resource = aws_secretsmanager_secret.this.arn
      }],
      local.kms_key_arn == null ? [] : [{
        Sid       = "DecryptRegistryCredentials"
        Effect    = "Allow"
        Action    = "kms:Decrypt"
        Resource  = local.kms_key_arn
        Condition = { StringEquals = { "kms:ViaService" = local.via_secretsmanager } }
      }],
    )
  }

  secret_policy = {
    Version = "2012-10-17"
    Statement = [{
      Sid       = "CrossAccountExecutionRolesRead"
      Effect    = "Allow"
      Principal = { AWS = var.cross_account_principal_arns }
      Action    = "secretsmanager:GetSecretValue"
      Resource  = "*"
    }]
  }
}

resource "aws_kms_key" "this" {
  count = var.create_kms_key ? 1 : 0

  description             = "Encrypts the registry credentials secret ${coalesce(var.name, var.name_prefix)}"
  deletion_window_in_days = var.kms_key_deletion_window_in_days
  enable_key_rotation     = true
  policy                  = jsonencode(local.key_policy)
  tags                    = var.tags
}

resource "aws_secretsmanager_secret" "this" {
  name                    = var.name
  name_prefix             = var.name_prefix
  description             = var.description
  kms_key_id              = local.kms_key_arn
  recovery_window_in_days = var.recovery_window_in_days
  tags                    = var.tags

  dynamic "replica" {
    for_each = var.replicas
    content {
      region     = replica.value.region
      kms_key_id = replica.value.kms_key_arn
    }
  }

  lifecycle {
    precondition {
      condition     = length(var.cross_account_principal_arns) == 0 || local.kms_key_arn != null
      error_message = "A secret read from another account must be encrypted with a customer managed KMS key."
    }
  }
}

# Exactly the JSON shape the ECS agent expects for repositoryCredentials.
resource "aws_secretsmanager_secret_version" "this" {
  count = var.create_secret_version && !var.write_only ? 1 : 0

  secret_id = aws_secretsmanager_secret.this.id
  secret_string = jsonencode({
    username = var.username
    password = var.password
  })
}

resource "aws_secretsmanager_secret_version" "write_only" {
  count = var.create_secret_version && var.write_only ? 1 : 0

  secret_id = aws_secretsmanager_secret.this.id
  secret_string_wo = jsonencode({
    username = var.username_wo
    password = var.password_wo
  })
  secret_string_wo_version = var.secret_string_wo_version

  lifecycle {
    precondition {
      condition     = var.username_wo != null && var.password_wo != null
      error_message = "write_only = true needs username_wo and password_wo."
    }
  }
}

resource "aws_secretsmanager_secret_policy" "this" {
  count = length(var.cross_account_principal_arns) > 0 ? 1 : 0

  secret_arn          = aws_secretsmanager_secret.this.arn
  policy              = jsonencode(local.secret_policy)
  block_public_policy = true
}
