# Offline tests: the AWS provider is mocked, nothing is created.

mock_provider "aws" {
  mock_data "aws_region" {
    defaults = { name = "us-east-1" }
  }
  mock_data "aws_partition" {
    defaults = { partition = "aws" }
  }
}

variables {
  name = "app-execution"
}

run "trust_policy_without_conditions_by_default" {
  command = apply

  assert {
    condition = jsondecode(aws_iam_role.this.assume_role_policy) == {
      Version = "2012-10-17"
      Statement = [{
        Sid       = "EcsTasksAssumeRole"
        Effect    = "Allow"
        Principal = { Service = "ecs-tasks.amazonaws.com" }
        Action    = "sts:AssumeRole"
      }]
    }
    error_message = "The trust policy must let ecs-tasks.amazonaws.com assume the role, without conditions by default."
  }

  assert {
    condition     = length(aws_iam_role_policy.this) == 0 && length(aws_iam_role_policy_attachment.ecs_managed) == 0 && output.policy_dependencies == []
    error_message = "No permission is granted unless asked for."
  }
}

run "opt_in_confused_deputy_conditions" {
  command = apply

  variables {
    trust_source_account_id = "123456789012"
    trust_source_arns       = ["arn:aws:ecs:us-east-1:123456789012:*"]
  }

  assert {
    condition = jsondecode(aws_iam_role.this.assume_role_policy).Statement[0].Condition == {
      StringEquals = { "aws:SourceAccount" = "123456789012" }
      ArnLike      = { "aws:SourceArn" = ["arn:aws:ecs:us-east-1:123456789012:*"] }
    }
    error_message = "Opt-in trust conditions must be aws:SourceAccount and aws:SourceArn."
  }
}

run "managed_policy" {
  command = apply

  variables {
    attach_ecs_managed_policy = true
    permissions_boundary_arn  = "arn:aws:iam::123456789012:policy/boundary"
    path                      = "/ecs/"
  }

  assert {
    condition     = aws_iam_role_policy_attachment.ecs_managed[0].policy_arn == "arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy"
    error_message = "The AWS managed policy AmazonECSTaskExecutionRolePolicy must be attached."
  }

  assert {
    condition     = aws_iam_role.this.permissions_boundary == "arn:aws:iam::123456789012:policy/boundary" && aws_iam_role.this.path == "/ecs/"
    error_message = "Boundary and path are passed through."
  }

  assert {
    condition     = length(aws_iam_role_policy.this) == 0 && length(output.policy_dependencies) == 1
    error_message = "Only the attachment is created, and it is a dependency."
  }
}

run "least_privilege_statements" {
  command = apply

  variables {
    ecr_repository_arns    = ["arn:aws:ecr:us-east-1:123456789012:repository/api"]
    registry_secret_arns   = ["arn:aws:secretsmanager:us-east-1:123456789012:secret:registry/ghcr-AbCdEf"]
    container_secret_arns  = ["arn:aws:secretsmanager:us-east-1:123456789012:secret:app/db-GhIjKl:password::"]
    ssm_parameter_arns     = ["arn:aws:ssm:us-east-1:123456789012:parameter/app/token"]
    kms_key_arns           = ["arn:aws:kms:us-east-1:123456789012:key/11111111-2222-3333-4444-555555555555"]
    log_group_arns         = ["arn:aws:logs:us-east-1:123456789012:log-group:/ecs/app"]
    allow_create_log_group = true
    inline_policy_documents = {
      extra = "{\"Version\":\"2012-10-17\",\"Statement\":[]}"
    }
  }

  assert {
    condition = jsondecode(aws_iam_role_policy.this[0].policy) == {
      Version = "2012-10-17"
      Statement = [
        {
          Sid      = "EcrAuthorizationToken"
          Effect   = "Allow"
          Action   = "ecr:GetAuthorizationToken"
          Resource = "*"
        },
        {
          Sid      = "EcrPullImages"
          Effect   = "Allow"
          Action   = ["ecr:BatchCheckLayerAvailability", "ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"]
          Resource = ["arn:aws:ecr:us-east-1:123456789012:repository/api"]
        },
        {
          Sid    = "ReadSecrets"
          Effect = "Allow"
          Action = "secretsmanager:GetSecretValue"
          Resource = [
            "arn:aws:secretsmanager:us-east-1:123456789012:secret:registry/ghcr-AbCdEf",
            "arn:aws:secretsmanager:us-east-1:123456789012:secret:app/db-GhIjKl",
          ]
        },
        {
          Sid      = "ReadParameters"
          Effect   = "Allow"
          Action   = "ssm:GetParameters"
          Resource = ["arn:aws:ssm:us-east-1:123456789012:parameter/app/token"]
        },
        {
          Sid       = "DecryptThroughSecretsServices"
          Effect    = "Allow"
          Action    = "kms:Decrypt"
          Resource  = ["arn:aws:kms:us-east-1:123456789012:key/11111111-2222-3333-4444-555555555555"]
          Condition = { StringEquals = { "kms:ViaService" = ["secretsmanager.us-east-1.amazonaws.com", "ssm.us-east-1.amazonaws.com"] } }
        },
        {
          Sid    = "WriteLogs"
          Effect = "Allow"
          Action = ["logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents"]
          Resource = [
            "arn:aws:logs:us-east-1:123456789012:log-group:/ecs/app",
            "arn:aws:logs:us-east-1:123456789012:log-group:/ecs/app:log-stream:*",
          ]
        },
      ]
    }
    error_message = "The inline policy must grant exactly the pull, secret, parameter, decrypt and log actions asked for."
  }

  assert {
    condition     = aws_iam_role_policy.extra["extra"].policy == "{\"Version\":\"2012-10-17\",\"Statement\":[]}"
    error_message = "Extra inline policies are attached as given."
  }

  assert {
    condition     = length(output.policy_dependencies) == 2
    error_message = "Both inline policies are dependencies."
  }
}

run "logs_without_create_group" {
  command = apply

  variables {
    log_group_arns = ["arn:aws:logs:us-east-1:123456789012:log-group:/ecs/app"]
  }

  assert {
    condition     = jsondecode(aws_iam_role_policy.this[0].policy).Statement[0].Action == ["logs:CreateLogStream", "logs:PutLogEvents"]
    error_message = "logs:CreateLogGroup is granted only when asked for."
  }
}

run "rejects_secret_arn_without_suffix" {
  command = plan
  variables {
    registry_secret_arns = ["arn:aws:secretsmanager:us-east-1:123456789012:secret:registry/ghcr"]
  }
  expect_failures = [var.registry_secret_arns]
}

run "rejects_container_secret_without_suffix" {
  command = plan
  variables {
    container_secret_arns = ["arn:aws:secretsmanager:us-east-1:123456789012:secret:app/db:password::"]
  }
  expect_failures = [var.container_secret_arns]
}

run "rejects_kms_alias" {
  command = plan
  variables {
    kms_key_arns = ["arn:aws:kms:us-east-1:123456789012:alias/app"]
  }
  expect_failures = [var.kms_key_arns]
}

run "rejects_log_group_arn_with_star" {
  command = plan
  variables {
    log_group_arns = ["arn:aws:logs:us-east-1:123456789012:log-group:/ecs/app:*"]
  }
  expect_failures = [var.log_group_arns]
}

run "rejects_bad_source_account" {
  command = plan
  variables {
    trust_source_account_id = "12345"
  }
  expect_failures = [var.trust_source_account_id]
}

run "rejects_bad_ecr_arn" {
  command = plan
  variables {
    ecr_repository_arns = ["123456789012.dkr.ecr.us-east-1.amazonaws.com/api"]
  }
  expect_failures = [var.ecr_repository_arns]
}

run "rejects_bad_role_name" {
  command = plan
  variables {
    name = "app execution"
  }
  expect_failures = [var.name]
}

run "rejects_bad_path" {
  command = plan
  variables {
    path = "ecs"
  }
  expect_failures = [var.path]
}
