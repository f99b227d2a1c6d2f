# Offline tests: the AWS provider is mocked, nothing is created.

mock_provider "aws" {
  mock_data "aws_caller_identity" {
    defaults = { account_id = "123456789012" }
  }
  mock_data "aws_region" {
    defaults = { name = "us-east-1" }
  }
  mock_data "aws_partition" {
    defaults = { partition = "aws" }
  }
  mock_resource "aws_secretsmanager_secret" {
    defaults = { arn = "arn:aws:secretsmanager:us-east-1:123456789012:secret:registry/ghcr-AbCdEf" }
  }
  mock_resource "aws_kms_key" {
    defaults = { arn = "arn:aws:kms:us-east-1:123456789012:key/11111111-2222-3333-4444-555555555555" }
  }
}

variables {
  name     = "registry/ghcr"
  username = "example-user"
  password = "example-password"
  # Ephemeral variables must be given to a test that applies (terraform test runs plan and apply).
  username_wo = "example-user"
  password_wo = "example-password"
}

run "default_key_plain_credentials" {
  command = apply

  assert {
    condition     = jsondecode(aws_secretsmanager_secret_version.this[0].secret_string) == { username = "example-user", password = "example-password" }
    error_message = "The secret value must be exactly {\"username\", \"password\"}."
  }

  assert {
    condition     = aws_secretsmanager_secret.this.kms_key_id == null && output.kms_key_arn == null
    error_message = "Without a CMK the secret uses aws/secretsmanager."
  }

  assert {
    condition = jsondecode(output.execution_role_policy_json) == {
      Version = "2012-10-17"
      Statement = [{
        Sid      = "ReadRegistryCredentials"
        Effect   = "Allow"
        Action   = "secretsmanager:GetSecretValue"
        Resource = "arn:aws:secretsmanager:us-east-1:123456789012:secret:registry/ghcr-AbCdEf"
      }]
    }
    error_message = "Without a CMK the execution role needs GetSecretValue on the full secret ARN, nothing else."
  }

  assert {
    condition     = length(aws_secretsmanager_secret_policy.this) == 0 && length(aws_kms_key.this) == 0 && length(aws_secretsmanager_secret_version.write_only) == 0
    error_message = "No key, no resource policy and no write-only version by default."
  }
}

run "created_cmk" {
  command = apply

  variables {
    create_kms_key        = true
    reader_principal_arns = ["arn:aws:iam::123456789012:role/app-execution"]
  }

  assert {
    condition     = aws_secretsmanager_secret.this.kms_key_id == "arn:aws:kms:us-east-1:123456789012:key/11111111-2222-3333-4444-555555555555"
    error_message = "The secret must be encrypted with the created key."
  }

  assert {
    condition = jsondecode(aws_kms_key.this[0].policy) == {
      Version = "2012-10-17"
      Statement = [
        {
          Sid       = "AccountRootAdministersKey"
          Effect    = "Allow"
          Principal = { AWS = "arn:aws:iam::123456789012:root" }
          Action    = "kms:*"
          Resource  = "*"
        },
        {
          Sid       = "ExecutionRolesDecryptThroughSecretsManager"
          Effect    = "Allow"
          Principal = { AWS = ["arn:aws:iam::123456789012:role/app-execution"] }
          Action    = "kms:Decrypt"
          Resource  = "*"
          Condition = { StringEquals = { "kms:ViaService" = "secretsmanager.us-east-1.amazonaws.com" } }
        },
      ]
    }
    error_message = "Key policy: root administers, execution roles decrypt through Secrets Manager only."
  }

  assert {
    condition = jsondecode(output.execution_role_policy_json).Statement == [
      {
        Sid      = "ReadRegistryCredentials"
        Effect   = "Allow"
        Action   = "secretsmanager:GetSecretValue"
        Resource = "arn:aws:secretsmanager:us-east-1:123456789012:secret:registry/ghcr-AbCdEf"
      },
      {
        Sid       = "DecryptRegistryCredentials"
        Effect    = "Allow"
        Action    = "kms:Decrypt"
        Resource  = "arn:aws:kms:us-east-1:123456789012:key/11111111-2222-3333-4444-555555555555"
        Condition = { StringEquals = { "kms:ViaService" = "secretsmanager.us-east-1.amazonaws.com" } }
      },
    ]
    error_message = "With a CMK the execution role also needs kms:Decrypt on the key through Secrets Manager."
  }
}

run "given_cmk_cross_account" {
  command = apply

  variables {
    kms_key_arn                  = "arn:aws:kms:us-east-1:123456789012:key/99999999-8888-7777-6666-555555555555"
    cross_account_principal_arns = ["arn:aws:iam::210987654321:role/app-execution"]
  }

  assert {
    condition     = output.kms_key_arn == "arn:aws:kms:us-east-1:123456789012:key/99999999-8888-7777-6666-555555555555" && length(aws_kms_key.this) == 0
    error_message = "A given key is used, none is created."
  }

  assert {
    condition = jsondecode(aws_secretsmanager_secret_policy.this[0].policy) == {
      Version = "2012-10-17"
      Statement = [{
        Sid       = "CrossAccountExecutionRolesRead"
        Effect    = "Allow"
        Principal = { AWS = ["arn:aws:iam::210987654321:role/app-execution"] }
        Action    = "secretsmanager:GetSecretValue"
        Resource  = "*"
      }]
    }
    error_message = "Cross-account readers get a resource policy for GetSecretValue only."
  }

  assert {
    condition     = aws_secretsmanager_secret_policy.this[0].block_public_policy
    error_message = "The resource policy must block public access."
  }
}

run "write_only_credentials" {
  command = apply

  variables {
    username                 = null
    password                 = null
    write_only               = true
    secret_string_wo_version = 2
  }

  assert {
    condition     = length(aws_secretsmanager_secret_version.this) == 0 && length(aws_secretsmanager_secret_version.write_only) == 1
    error_message = "The write-only path creates only the write-only version."
  }

  assert {
    condition     = aws_secretsmanager_secret_version.write_only[0].secret_string_wo == null && aws_secretsmanager_secret_version.write_only[0].secret_string_wo_version == 2
    error_message = "The write-only value is never kept in state."
  }
}

run "replicas" {
  command = plan

  variables {
    replicas = [{ region = "us-west-2" }, { region = "eu-west-1", kms_key_arn = "arn:aws:kms:eu-west-1:123456789012:key/abc" }]
  }

  assert {
    condition     = length(aws_secretsmanager_secret.this.replica) == 2
    error_message = "One replica block per region."
  }
}

run "rejects_cross_account_without_cmk" {
  command = plan
  variables {
    cross_account_principal_arns = ["arn:aws:iam::210987654321:role/app-execution"]
  }
  expect_failures = [var.cross_account_principal_arns]
}

run "rejects_name_and_prefix" {
  command = plan
  variables {
    name_prefix = "registry/ghcr-"
  }
  expect_failures = [var.name]
}

run "rejects_missing_credentials" {
  command = plan
  variables {
    password = null
  }
  expect_failures = [var.password]
}

run "rejects_empty_username" {
  command = plan
  variables {
    username = ""
  }
  expect_failures = [var.username]
}

run "rejects_bad_recovery_window" {
  command = plan
  variables {
    recovery_window_in_days = 3
  }
  expect_failures = [var.recovery_window_in_days]
}

run "rejects_key_alias" {
  command = plan
  variables {
    kms_key_arn = "alias/registry"
  }
  expect_failures = [var.kms_key_arn]
}

run "rejects_key_given_and_created" {
  command = plan
  variables {
    kms_key_arn    = "arn:aws:kms:us-east-1:123456789012:key/abc"
    create_kms_key = true
  }
  expect_failures = [var.kms_key_arn]
}

run "rejects_write_only_without_values" {
  command = plan
  variables {
    write_only  = true
    password_wo = null
  }
  expect_failures = [aws_secretsmanager_secret_version.write_only]
}
