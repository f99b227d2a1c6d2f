data "aws_partition" "current" {}
data "aws_region" "current" {}

locals {
  partition = data.aws_partition.current.partition
  region    = data.aws_region.current.name

  trust_conditions = merge(
    var.trust_source_account_id == null ? {} : { StringEquals = { "aws:SourceAccount" = var.trust_source_account_id } },
    length(var.trust_source_arns) == 0 ? {} : { ArnLike = { "aws:SourceArn" = var.trust_source_arns } },
  )

  trust_policy = {
    Version = "2012-10-17"
    Statement = [merge(
      {
        Sid       = "EcsTasksAssumeRole"
        Effect    = "Allow"
        Principal = { Service = "ecs-tasks.amazonaws.com" }
        Action    = "sts:AssumeRole"
      },
      length(local.trust_conditions) == 0 ? {} : { Condition = local.trust_conditions },
    )]
  }

  # A valueFrom may carry :json-key:version-stage:version-id after the secret ARN.
  secret_arns = distinct(concat(
    var.registry_secret_arns,
    [for a in var.container_secret_arns : join(":", slice(split(":", a), 0, 7))],
  ))

  kms_via_services = coalesce(var.kms_via_services, [
    "secretsmanager.${local.region}.amazonaws.com",
    "ssm.${local.region}.amazonaws.com",
  ])

  statements = concat(
    length(var.ecr_repository_arns) == 0 ? [] : [
      {
        Sid      = "EcrAuthorizationToken"
        Effect   = "Allow"
        Action   = "ecr:GetAuthorizationToken"
        Resource = "*"
      },
    ],
    length(var.ecr_repository_arns) == 0 ? [] : [
      {
        Sid      = "EcrPullImages"
        Effect   = "Allow"
        Action   = ["ecr:BatchCheckLayerAvailability", "ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"]
        Resource = var.ecr_repository_arns
      },
    ],
    length(local.secret_arns) == 0 ? [] : [{
      Sid      = "ReadSecrets"
      Effect   = "Allow"
      Action   = "secretsmanager:GetSecretValue"
      Resource = local.secret_arns
    }],
    length(var.ssm_parameter_arns) == 0 ? [] : [{
      Sid      = "ReadParameters"
      Effect   = "Allow"
      Action   = "ssm:GetParameters"
      Resource = var.ssm_parameter_arns
    }],
    length(var.kms_key_arns) == 0 ? [] : [{
      Sid       = "DecryptThroughSecretsServices"
      Effect    = "Allow"
      Action    = "kms:Decrypt"
      Resource  = var.kms_key_arns
      Condition = { StringEquals = { "kms:ViaService" = local.kms_via_services } }
    }],
    length(var.log_group_arns) == 0 ? [] : [{
      Sid      = "WriteLogs"
      Effect   = "Allow"
      Action   = concat(var.allow_create_log_group ? ["logs:CreateLogGroup"] : [], ["logs:CreateLogStream", "logs:PutLogEvents"])
      Resource = flatten([for a in var.log_group_arns : [a, "${a}:log-stream:*"]])
    }],
  )

  permissions_policy = { Version = "2012-10-17", Statement = local.statements }
}

resource "aws_iam_role" "this" {
  name                 = var.name
  path                 = var.path
  description          = var.description
  assume_role_policy   = jsonencode(local.trust_policy)
  permissions_boundary = var.permissions_boundary_arn
  tags                 = var.tags
}

resource "aws_iam_role_policy_attachment" "ecs_managed" {
  count = var.attach_ecs_managed_policy ? 1 : 0

  role       = aws_iam_role.this.name
  policy_arn = "arn:${local.partition}:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy"
}

resource "aws_iam_role_policy" "this" {
  count = length(local.statements) > 0 ? 1 : 0

  name   = "task-execution"
  role   = aws_iam_role.this.id
  policy = jsonencode(local.permissions_policy)
}

resource "aws_iam_role_policy" "extra" {
  for_each = var.inline_policy_documents

  name   = each.key
  role   = aws_iam_role.this.id
  policy = each.value
}
